#include "net.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace codejudge::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr uint32_t kHeaderLimitBytes = 16 * 1024;
// After a fatal error response we keep reading (and discarding) for a moment so that a client
// still sending its body sees our answer instead of a reset.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr uint64_t kLingerBytes = 64ull << 20;

struct Shared {
  App* app;
  const ServerConfig* config;
  Logger* logger;
  std::atomic<size_t> busy{0};  // sessions between a complete request and its written response
  std::atomic<bool> draining{false};
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Shared* shared) : stream_(std::move(socket)), shared_(shared) {
    beast::error_code ec;
    tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = peer.address().to_string() + ":" + std::to_string(peer.port());
  }

  void start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::read_header, shared_from_this()));
  }

 private:
  void read_header() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimitBytes);
    parser_->body_limit(shared_->config->max_body_mb << 20);
    const uint64_t seconds =
        first_ ? shared_->config->read_timeout_s : shared_->config->idle_timeout_s;
    stream_.expires_after(std::chrono::seconds(seconds));
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, size_t) {
    if (ec) return fail(ec);
    first_ = false;
    auto& header = parser_->get();
    auto expect = header.find(http::field::expect);
    if (expect != header.end() && beast::iequals(expect->value(), "100-continue") &&
        !parser_->is_done()) {
      // The client waits for this before sending the body.
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      stream_.expires_after(std::chrono::seconds(shared_->config->write_timeout_s));
      asio::async_write(stream_, asio::buffer(kContinue),
                        [self = shared_from_this()](beast::error_code write_ec, size_t) {
                          if (write_ec) return self->close();
                          self->read_body();
                        });
      return;
    }
    read_body();
  }

  void read_body() {
    stream_.expires_after(std::chrono::seconds(shared_->config->read_timeout_s));
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, size_t) {
    if (ec) return fail(ec);
    http::request<http::string_body> message = parser_->release();
    keep_alive_ = message.keep_alive();
    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    for (const auto& field : message) {
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    request.body = std::move(message.body());
    request.remote = remote_;
    ++shared_->busy;
    busy_ = true;
    shared_->app->handle_async(std::move(request), [self = shared_from_this()](HttpResponse r) {
      // Called on a job thread for judging routes: hop back to this connection's strand.
      asio::post(self->stream_.get_executor(),
                 [self, response = std::move(r)]() mutable { self->write(std::move(response)); });
    });
  }

  // Errors while reading: a normal close, a timeout, a network error, or a bad request.
  void fail(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == asio::error::eof ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted) {
      return close();
    }
    if (ec == beast::error::timeout) {
      // tcp_stream has already closed the socket: a stalled client gets no answer.
      if (shared_->logger && parser_ && parser_->got_some()) {
        shared_->logger->info("read timeout", {{"remote", remote_}});
      }
      return close();
    }
    if (ec == http::error::body_limit) {
      return write_fatal(413, "body: larger than " + std::to_string(shared_->config->max_body_mb) +
                                  " MiB (--max-body-mb)");
    }
    if (ec == http::error::header_limit) {
      return write_fatal(431,
                         "headers: larger than " + std::to_string(kHeaderLimitBytes) + " bytes");
    }
    if (ec.category() == http::make_error_code(http::error::bad_method).category()) {
      return write_fatal(400, "malformed HTTP request: " + ec.message());
    }
    close();
  }

  void write_fatal(int status, const std::string& message) {
    keep_alive_ = false;
    ++shared_->busy;
    busy_ = true;
    fatal_ = true;
    write(shared_->app->protocol_error(status, message, remote_));
  }

  void write(HttpResponse response) {
    const bool keep_alive = keep_alive_ && !shared_->draining.load() && !fatal_;
    response_.emplace(static_cast<http::status>(response.status), 11);
    response_->set(http::field::server, "codejudge");
    response_->set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) response_->insert(name, value);
    response_->keep_alive(keep_alive);
    response_->body() = std::move(response.body);
    response_->prepare_payload();
    stream_.expires_after(std::chrono::seconds(shared_->config->write_timeout_s));
    http::async_write(
        stream_, *response_,
        beast::bind_front_handler(&Session::on_write, shared_from_this(), keep_alive));
  }

  void on_write(bool keep_alive, beast::error_code ec, size_t) {
    response_.reset();
    if (busy_) {
      busy_ = false;
      --shared_->busy;
    }
    if (ec) return close();
    if (!keep_alive) return fatal_ ? linger() : close();
    read_header();
  }

  // Half-close, then read and discard until the client closes, for a moment at most.
  void linger() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTime);
    drain_buffer_.resize(64 * 1024);
    read_discard();
  }

  void read_discard() {
    stream_.async_read_some(asio::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->discarded_ += n;
                              if (ec || self->discarded_ > kLingerBytes) return self->close();
                              self->read_discard();
                            });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
  std::vector<char> drain_buffer_;
  uint64_t discarded_ = 0;
  Shared* shared_;
  std::string remote_;
  bool first_ = true;
  bool keep_alive_ = true;
  bool busy_ = false;
  bool fatal_ = false;
};

}  // namespace

// The acceptor; each accepted socket gets its own strand and session.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // The acceptor lives on a strand: its handlers, the retry timer and stop() never overlap.
  Listener(asio::io_context& ioc, Shared* shared)
      : ioc_(ioc), acceptor_(asio::make_strand(ioc)), shared_(shared) {}

  bool open(const tcp::endpoint& endpoint, std::string* error) {
    beast::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      *error = "cannot listen on " + endpoint.address().to_string() + ":" +
               std::to_string(endpoint.port()) + ": " + ec.message();
      return false;
    }
    return true;
  }

  uint16_t port() const {
    beast::error_code ec;
    return acceptor_.local_endpoint(ec).port();
  }

  void accept() {
    acceptor_.async_accept(asio::make_strand(ioc_),
                           beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
  }

  void stop() {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      self->acceptor_.close(ignored);
    });
  }

 private:
  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      std::make_shared<Session>(std::move(socket), shared_)->start();
      accept();
      return;
    }
    // Out of file descriptors, typically: say so, and retry after a pause instead of spinning.
    if (shared_->logger) shared_->logger->warn("accept failed", {{"error", ec.message()}});
    retry_timer_.expires_after(std::chrono::milliseconds(100));
    retry_timer_.async_wait([self = shared_from_this()](beast::error_code timer_ec) {
      if (!timer_ec && self->acceptor_.is_open()) self->accept();
    });
  }

  asio::io_context& ioc_;
  tcp::acceptor acceptor_;
  asio::steady_timer retry_timer_{acceptor_.get_executor()};
  Shared* shared_;
};

struct HttpServer::Impl {
  asio::io_context ioc;
  Shared shared;
  std::shared_ptr<Listener> listener;
  explicit Impl(size_t threads) : ioc(static_cast<int>(threads)) {}
};

HttpServer::HttpServer(App* app, const ServerConfig& config, Logger* logger)
    : impl_(std::make_unique<Impl>(config.io_threads)) {
  impl_->shared.app = app;
  impl_->shared.config = &app->config();
  impl_->shared.logger = logger;
}

HttpServer::~HttpServer() = default;

bool HttpServer::listen(std::string* error) {
  beast::error_code ec;
  const ServerConfig& config = *impl_->shared.config;
  asio::ip::address address = asio::ip::make_address(config.host, ec);
  if (ec) {
    *error = "--host: not an IP address: '" + config.host + "'";
    return false;
  }
  impl_->listener = std::make_shared<Listener>(impl_->ioc, &impl_->shared);
  return impl_->listener->open(tcp::endpoint(address, config.port), error);
}

uint16_t HttpServer::port() const {
  return impl_->listener ? impl_->listener->port() : 0;
}

int HttpServer::run() {
  Shared& shared = impl_->shared;
  const ServerConfig& config = *shared.config;
  int exit_code = 0;
  impl_->listener->accept();

  asio::signal_set signals(impl_->ioc, SIGINT, SIGTERM);
  asio::steady_timer drain_timer(impl_->ioc);
  std::chrono::steady_clock::time_point deadline;
  std::function<void()> poll_drain = [&] {
    const bool idle = shared.busy.load() == 0 && shared.app->in_flight() == 0;
    if (idle || std::chrono::steady_clock::now() >= deadline) {
      if (!idle) {
        exit_code = 1;
        if (shared.logger) {
          shared.logger->warn("drain timed out", {{"in_flight", shared.app->in_flight()},
                                                  {"busy", shared.busy.load()}});
        }
      } else if (shared.logger) {
        shared.logger->info("drained");
      }
      impl_->ioc.stop();
      return;
    }
    drain_timer.expires_after(std::chrono::milliseconds(20));
    drain_timer.async_wait([&](beast::error_code) { poll_drain(); });
  };
  signals.async_wait([&](beast::error_code ec, int signal) {
    if (ec) return;
    if (shared.logger) {
      shared.logger->info("draining", {{"signal", signal},
                                       {"in_flight", shared.app->in_flight()},
                                       {"queue_waiting", shared.app->queue_depth()}});
    }
    shared.draining = true;
    shared.app->begin_drain();
    impl_->listener->stop();
    deadline = std::chrono::steady_clock::now() + std::chrono::seconds(config.drain_timeout_s);
    // A second signal stops at once.
    signals.async_wait([&](beast::error_code second_ec, int) {
      if (second_ec) return;
      exit_code = 1;
      impl_->ioc.stop();
    });
    poll_drain();
  });

  std::vector<std::thread> threads;
  for (size_t i = 1; i < config.io_threads; ++i) threads.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& thread : threads) thread.join();
  return exit_code;
}

}  // namespace codejudge::server
