#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "base/result.h"
#include "store/database.h"

namespace hm::web {

// SQLite connections for request handlers. A connection belongs to one thread at a
// time (the store opens them NOMUTEX), so each request borrows one and gives it back.
class DatabasePool {
 public:
  explicit DatabasePool(std::filesystem::path data_dir) : data_dir_(std::move(data_dir)) {}

  class Lease {
   public:
    Lease(DatabasePool& pool, std::unique_ptr<store::Database> db)
        : pool_(&pool), db_(std::move(db)) {}
    ~Lease() {
      if (db_) pool_->give_back(std::move(db_));
    }
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    store::Database& operator*() const { return *db_; }
    store::Database* operator->() const { return db_.get(); }

   private:
    DatabasePool* pool_;
    std::unique_ptr<store::Database> db_;
  };

  Result<Lease> acquire();
  const std::filesystem::path& data_dir() const { return data_dir_; }

 private:
  void give_back(std::unique_ptr<store::Database> db);

  std::filesystem::path data_dir_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<store::Database>> idle_;
};

}  // namespace hm::web
