#include "school_profile.h"

#include <algorithm>
#include <cstdio>

#include "http_message.h"
#include "school_sites.h"

namespace hm::trafficgen {
namespace {

constexpr Micros kDnsCacheLifetime = 300 * kSecond;
// First guess of flows per visit (x100), until visits so far say better.
constexpr Micros kFlowsPerVisitX100 = 300;
constexpr Micros kBreakStart = 90 * kMinute;  // 10:15 to 10:30 in the sample
constexpr Micros kBreakEnd = 105 * kMinute;
constexpr int kMaxExtraDepth = 2;

const char* const kIpadAgent =
    "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.6 Mobile/15E148 Safari/604.1";
const char* const kChromebookAgent =
    "Mozilla/5.0 (X11; CrOS x86_64 15786.48.0) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/122.0.0.0 Safari/537.36";
const char* const kWindowsAgent =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/122.0.0.0 Safari/537.36 Edg/122.0.0.0";
const char* const kPrinterAgent = "HP-ChaiSOE/1.0";

struct KindTraits {
  const char* name;
  uint8_t platform;
  uint8_t oui[3];
  uint8_t subnet;  // 10.20.<subnet + n/200>.<10 + n%200>
  uint8_t ttl;
  TlsFingerprint fingerprint;
  const char* agent;
  uint32_t activity;  // relative rate of visits per device
};

const KindTraits& traits(DeviceKind kind) {
  static const KindTraits kTraits[] = {
      {"PUPIL-IPAD",
       platform::kIpad,
       {0x3c, 0x22, 0xfb},
       16,
       64,
       TlsFingerprint::kSafari,
       kIpadAgent,
       10},
      {"PUPIL-CB",
       platform::kChromebook,
       {0xb4, 0xa9, 0xfc},
       32,
       64,
       TlsFingerprint::kChromium,
       kChromebookAgent,
       12},
      {"STAFF-LT",
       platform::kWindows,
       {0x3c, 0x52, 0x82},
       48,
       128,
       TlsFingerprint::kChromium,
       kWindowsAgent,
       8},
      {"PRINTER",
       platform::kPrinter,
       {0xa0, 0xd3, 0xc1},
       64,
       64,
       TlsFingerprint::kChromium,
       kPrinterAgent,
       2},
  };
  return kTraits[static_cast<int>(kind)];
}

uint16_t site_weight(const Site& site, DeviceKind kind) {
  switch (kind) {
    case DeviceKind::kPupilTablet:
    case DeviceKind::kPupilLaptop: return site.weight_pupil;
    case DeviceKind::kStaffLaptop: return site.weight_staff;
    case DeviceKind::kPrinter: return site.weight_printer;
  }
  return 0;
}

// Bland markup of about `size` bytes: nothing in it may look like a concern,
// since later issues scan HTTP bodies too.
std::string filler_html(std::string_view title, size_t size) {
  std::string html = "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>";
  html.append(title).append("</title></head>\n<body><ul>\n");
  for (int row = 1; html.size() + 24 < size; ++row) {
    html.append("<li><a href=\"/page/").append(std::to_string(row)).append("\">Page ");
    html.append(std::to_string(row)).append("</a></li>\n");
  }
  html.append("</ul></body></html>\n");
  return html;
}

bool heap_later(const auto& a, const auto& b) {
  return a.start != b.start ? a.start > b.start : a.order > b.order;
}

}  // namespace

SchoolMorning::SchoolMorning(const ProfileOptions& options)
    : options_(options), rng_(options.seed) {
  network_.gateway_mac = {0x00, 0x0d, 0xb9, 0x4a, 0x10, 0x01};
  network_.resolver_ip = ipv4(10, 20, 0, 1);

  // Who is in the building: one printer, a tenth staff, the rest pupils, a
  // quarter of them on Chromebooks.
  const uint32_t n = std::max(options.devices, kMinDevices);
  const uint32_t staff = std::max<uint32_t>(1, n / 10);
  const uint32_t pupils = n - 1 - staff;
  const uint32_t laptops = pupils / 4;
  Rng device_rng = rng_.fork(1);
  uint32_t per_kind[4] = {0, 0, 0, 0};
  for (uint32_t i = 0; i < n; ++i) {
    const DeviceKind kind = i < pupils - laptops ? DeviceKind::kPupilTablet
                            : i < pupils         ? DeviceKind::kPupilLaptop
                            : i < n - 1          ? DeviceKind::kStaffLaptop
                                                 : DeviceKind::kPrinter;
    const KindTraits& t = traits(kind);
    const uint32_t index = per_kind[static_cast<int>(kind)]++;
    Device device;
    char name[32];
    std::snprintf(name, sizeof name, "%s-%02u", t.name, index + 1);
    device.name = name;
    device.kind = kind;
    device.platform = t.platform;
    device.client.mac = {t.oui[0],
                         t.oui[1],
                         t.oui[2],
                         static_cast<uint8_t>(0x40 + (i >> 16)),
                         static_cast<uint8_t>(i >> 8),
                         static_cast<uint8_t>(i)};
    device.client.mac[4] ^= static_cast<uint8_t>(device_rng.next());
    device.client.ip = ipv4(10, 20, static_cast<uint8_t>(t.subnet + index / 200),
                            static_cast<uint8_t>(10 + index % 200));
    device.client.ttl = t.ttl;
    device.client.fingerprint = t.fingerprint;
    device.client.user_agent = t.agent;
    device.next_port = static_cast<uint16_t>(device_rng.between(49152, 60000));
    devices_.push_back(std::move(device));
  }

  // Each planted concern from its own pupil, spread across the pupils.
  const auto concerns = planted_concerns();
  const uint64_t rounds =
      options.planted_every > 0
          ? std::max<uint64_t>(1, static_cast<uint64_t>(options.duration / options.planted_every))
          : 1;
  for (uint64_t round = 0; round < rounds; ++round) {
    for (size_t k = 0; k < concerns.size(); ++k) {
      PlantedPlacement placement;
      placement.concern = &concerns[k];
      placement.time = options.start + concerns[k].offset;
      placement.device = (k * pupils) / concerns.size() + pupils / (2 * concerns.size());
      if (round > 0) {
        const Micros shifted =
            concerns[k].offset + static_cast<Micros>(round) * options.planted_every;
        placement.time = options.start + shifted % options.duration;
        placement.device = (placement.device + round) % pupils;
      }
      planted_.push_back(placement);
    }
  }
  for (const PlantedPlacement& placement : planted_) plant(placement);

  next_visit_ = options.start;
  next_visit_ += rng_.between(0, average_gap());
}

void SchoolMorning::push(std::unique_ptr<Flow> flow) {
  const Micros start = flow->start();
  pending_.push_back({start, pushed_++, std::move(flow)});
  std::push_heap(pending_.begin(), pending_.end(),
                 [](const Pending& a, const Pending& b) { return heap_later(a, b); });
}

bool SchoolMorning::take_budget() {
  if (benign_flows_ >= options_.flows) return false;
  ++benign_flows_;
  return true;
}

uint16_t SchoolMorning::client_port(size_t device) {
  uint16_t& port = devices_[device].next_port;
  const uint16_t chosen = port;
  port = port == 65535 ? 49152 : static_cast<uint16_t>(port + 1);
  return chosen;
}

// Spreads the flows still to make over the time still left, at the flows per
// visit seen so far, so --flows flows end near the end of --duration whatever
// the site mix does.
Micros SchoolMorning::average_gap() const {
  const Micros left = std::max<Micros>(options_.start + options_.duration - next_visit_, kSecond);
  const auto flows_left =
      static_cast<Micros>(std::max<uint64_t>(1, options_.flows - benign_flows_));
  const Micros per_visit_x100 =
      visits_ < 10 ? kFlowsPerVisitX100 : static_cast<Micros>(benign_flows_ * 100 / visits_);
  return std::max<Micros>(1, left * std::max<Micros>(per_visit_x100, 100) / (flows_left * 100));
}

Micros SchoolMorning::next_gap(Micros now) {
  const Micros average = average_gap();
  Micros gap = rng_.between(average / 4, average * 7 / 4);
  const Micros since_start = now - options_.start;
  if (since_start >= kBreakStart && since_start < kBreakEnd) gap *= 2;  // playground, not screens
  return std::max<Micros>(gap, 1);
}

std::unique_ptr<Flow> SchoolMorning::next_flow() {
  const auto later = [](const Pending& a, const Pending& b) { return heap_later(a, b); };
  for (;;) {
    const bool more_visits = benign_flows_ < options_.flows;
    if (!pending_.empty() && (!more_visits || pending_.front().start <= next_visit_)) {
      std::pop_heap(pending_.begin(), pending_.end(), later);
      std::unique_ptr<Flow> flow = std::move(pending_.back().flow);
      pending_.pop_back();
      return flow;
    }
    if (!more_visits) return nullptr;
    // Every flow a visit makes starts at or after the visit, so everything in
    // pending_ before next_visit_ is final.
    plan_visit(next_visit_);
    ++visits_;
    next_visit_ += next_gap(next_visit_);
  }
}

Micros SchoolMorning::resolve(size_t device, const std::string& host, Micros at, bool benign) {
  Device& d = devices_[device];
  const auto cached = d.dns_cache.find(host);
  if (cached != d.dns_cache.end() && cached->second > at) return at;
  if (benign && !take_budget()) return at;  // out of flows: pretend it was cached
  const Server server = server_for(host);
  DnsLookup lookup;
  lookup.name = host;
  lookup.addresses = {server.ip};
  lookup.latency = rng_.chance_per_mille(700) ? rng_.between(400, 3000)      // router's cache
                                              : rng_.between(12000, 45000);  // upstream
  const auto port = static_cast<uint16_t>(rng_.between(49152, 65535));
  push(make_dns_lookup(network_, d.client, port, at, lookup, rng_.next()));
  d.dns_cache[host] = at + kDnsCacheLifetime;
  return at + lookup.latency + rng_.between(150, 900);
}

void SchoolMorning::visit_tls(size_t device, const std::string& host, Micros at, int depth) {
  const Site* site = find_site(host);
  if (site == nullptr) return;
  // A page's fonts and scripts come over the browser's existing HTTP/2
  // connection if it looked the host up recently; only new hosts add flows.
  const auto& cache = devices_[device].dns_cache;
  if (const auto hit = cache.find(host); depth > 0 && hit != cache.end() && hit->second > at) {
    return;
  }
  const Micros connect = resolve(device, host, at, true);
  if (!take_budget()) return;
  const Server server = server_for(host);
  TlsSession session;
  session.server_name = host;
  if (devices_[device].kind == DeviceKind::kPrinter) session.alpn = {"http/1.1"};
  session.exchanges = static_cast<uint32_t>(rng_.between(1, depth == 0 ? 3 : 2));
  session.response_bytes = static_cast<uint64_t>(
      rng_.between(int64_t{site->min_kb} * 1024, int64_t{site->max_kb} * 1024 + 1023));
  session.request_bytes = static_cast<uint64_t>(rng_.between(250, 700));
  session.server_think = rng_.between(2, 60) * kMillisecond;
  session.user_think = rng_.between(1, 12) * kSecond;
  session.close_after = rng_.between(1, 15) * kSecond;
  push(make_tls_connection(network_, devices_[device].client, client_port(device), server, connect,
                           session, rng_.next()));
  if (depth >= kMaxExtraDepth) return;
  for (const std::string_view extra : site->extras) {
    if (extra.empty() || !rng_.chance_per_mille(600)) continue;
    const Micros when = connect + 2 * server.rtt + rng_.between(20, 400) * kMillisecond;
    visit_tls(device, std::string(extra), when, depth + 1);
  }
}

void SchoolMorning::plan_visit(Micros at) {
  // Who: weighted by how busy each kind of device is.
  uint64_t total = 0;
  for (const Device& d : devices_) total += traits(d.kind).activity;
  uint64_t pick = rng_.below(total);
  size_t device = 0;
  while (pick >= traits(devices_[device].kind).activity)
    pick -= traits(devices_[device++].kind).activity;
  const Device& d = devices_[device];

  // Where: weighted by the site mix for that kind of device.
  uint64_t site_total = 0;
  for (const Site& site : school_sites()) {
    if ((site.platforms & d.platform) != 0) site_total += site_weight(site, d.kind);
  }
  if (site_total == 0) return;
  uint64_t site_pick = rng_.below(site_total);
  const Site* chosen = nullptr;
  for (const Site& site : school_sites()) {
    const uint16_t weight = (site.platforms & d.platform) != 0 ? site_weight(site, d.kind) : 0;
    if (site_pick < weight) {
      chosen = &site;
      break;
    }
    site_pick -= weight;
  }
  if (chosen == nullptr) return;
  const std::string host(chosen->host);
  if (chosen->kind == SiteKind::kTls) {
    visit_tls(device, host, at, 0);
    return;
  }

  HttpExchange exchange;
  exchange.host = host;
  exchange.server_think = rng_.between(5, 80) * kMillisecond;
  exchange.close_after = rng_.between(1, 10) * kSecond;
  const auto body_size = static_cast<size_t>(
      rng_.between(int64_t{chosen->min_kb} * 1024, int64_t{chosen->max_kb} * 1024 + 1023));
  switch (chosen->kind) {
    case SiteKind::kHttpSearch: {
      const auto searches = benign_searches();
      const std::string_view terms = searches[rng_.below(searches.size())];
      exchange.target = std::string(chosen->extras[0]) + form_encode(terms);
      exchange.body = filler_html("Search", body_size);
      break;
    }
    case SiteKind::kHttpPage: {
      size_t paths = 0;
      while (paths < chosen->extras.size() && !chosen->extras[paths].empty()) ++paths;
      exchange.target = std::string(chosen->extras[rng_.below(paths)]);
      exchange.body = filler_html(host, body_size);
      break;
    }
    case SiteKind::kHttpCheck:
      exchange.target = std::string(chosen->extras[0]);
      if (host == "connectivitycheck.gstatic.com") {
        exchange.status = 204;
        exchange.reason = "No Content";
        exchange.content_type.clear();
      } else if (host == "captive.apple.com") {
        exchange.body = "<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>";
      } else {
        exchange.content_type = "text/plain";
        exchange.body = "Microsoft Connect Test";
      }
      break;
    case SiteKind::kHttpDownload: {
      exchange.target = std::string(chosen->extras[0]);
      exchange.content_type = "application/vnd.ms-cab-compressed";
      exchange.body.resize(body_size);
      Rng body_rng = rng_.fork(pushed_);
      body_rng.fill({reinterpret_cast<uint8_t*>(exchange.body.data()), exchange.body.size()});
      break;
    }
    case SiteKind::kTls:
    case SiteKind::kPlanted: return;
  }
  const Micros connect = resolve(device, host, at, true);
  if (!take_budget()) return;
  push(make_http_connection(network_, d.client, client_port(device), server_for(host), connect,
                            exchange, rng_.next()));
}

void SchoolMorning::plant(const PlantedPlacement& placement) {
  const PlantedConcern& concern = *placement.concern;
  Device& d = devices_[placement.device];
  const std::string host(concern.host);
  const Server server = server_for(host);
  Rng rng = rng_.fork(0x9a4e + static_cast<uint64_t>(placement.time));
  const Micros connect = placement.time - tcp_first_data_offset(server);
  switch (concern.kind) {
    case PlantedKind::kDnsQuery: {
      // Only the lookup: the school's filter answers, the device goes no further.
      DnsLookup lookup;
      lookup.name = host;
      lookup.addresses = {server.ip};
      lookup.latency = rng.between(12000, 30000);
      const auto port = static_cast<uint16_t>(rng.between(49152, 65535));
      push(make_dns_lookup(network_, d.client, port, placement.time, lookup, rng.next()));
      return;
    }
    case PlantedKind::kTlsSni: {
      // No lookup: an app with the address built in, so the SNI is the only trace.
      TlsSession session;
      session.server_name = host;
      session.response_bytes = static_cast<uint64_t>(rng.between(8000, 30000));
      session.close_after = 8 * kSecond;
      const uint16_t port = client_port(placement.device);
      push(make_tls_connection(network_, d.client, port, server, connect, session, rng.next()));
      return;
    }
    case PlantedKind::kHttpUrl: {
      const Micros lookup_at = connect - 40 * kMillisecond;
      DnsLookup lookup;
      lookup.name = host;
      lookup.addresses = {server.ip};
      lookup.latency = 15 * kMillisecond;
      const auto port = static_cast<uint16_t>(rng.between(49152, 65535));
      push(make_dns_lookup(network_, d.client, port, lookup_at, lookup, rng.next()));
      HttpExchange exchange;
      exchange.host = host;
      exchange.target = std::string(concern.target);
      if (concern.host == "chat.kidsgamesworld.example") {
        exchange.content_type = "application/json";
        exchange.body = "{\"ok\":true}";
      } else {
        exchange.body =
            filler_html(concern.host == "forum.schoolblogs.example" ? "Forum" : "Search",
                        static_cast<size_t>(rng.between(2000, 30000)));
      }
      exchange.close_after = 3 * kSecond;
      push(make_http_connection(network_, d.client, client_port(placement.device), server, connect,
                                exchange, rng.next()));
      return;
    }
  }
}

}  // namespace hm::trafficgen
