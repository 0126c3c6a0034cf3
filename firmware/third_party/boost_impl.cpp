// The one translation unit that compiles Boost.Asio (with its OpenSSL stream) and
// Boost.Beast; every other file includes their headers only (see Dependencies.cmake).
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
