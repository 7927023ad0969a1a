#include "net.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <map>
#include <mutex>
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

#include "budget.h"

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
// Connections over the cap being answered 503 at once, at most (each holds an fd meanwhile).
constexpr size_t kRefusingConnections = 16;

class Session;

struct Shared {
  App* app;
  const ServerConfig* config;
  Logger* logger;
  std::atomic<size_t> busy{0};  // sessions between a complete request and its written response
  std::atomic<bool> draining{false};

  // Sessions waiting for their next request, by when they started waiting: at the connection
  // cap (or out of file descriptors) the longest-idle one is closed first.
  std::mutex idle_mu;
  std::map<uint64_t, std::weak_ptr<Session>> idle;
  uint64_t next_idle_key = 0;
  // Closes the longest-idle session; false when none is idle.
  bool shed_oldest();

  // At most one of these warnings a second, so a flood of connections cannot flood the log.
  std::atomic<int64_t> last_warning_s{0};
  void warn_limited(const char* message, nlohmann::json fields) {
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::steady_clock::now().time_since_epoch())
                            .count();
    int64_t last = last_warning_s.load();
    if (logger && now != last && last_warning_s.compare_exchange_strong(last, now)) {
      logger->warn(message, std::move(fields));
    }
  }
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Shared* shared)
      : stream_(std::move(socket)),
        budget_timer_(stream_.get_executor()),
        shared_(shared),
        stats_(shared->app->connections()),
        body_budget_(shared->app->body_budget()) {
    ++stats_->open;
    beast::error_code ec;
    tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = peer.address().to_string() + ":" + std::to_string(peer.port());
  }
  ~Session() {
    leave_idle();
    --stats_->open;
  }

  void start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::read_header, shared_from_this()));
  }

  // Over the connection cap with nothing idle to close: answer 503 and close.
  void refuse() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      ++self->stats_->refused;
      self->write_busy("too many open connections (" +
                       std::to_string(self->shared_->config->max_connections) +
                       ", --max-connections and the fd limit); retry");
    });
  }

  beast::tcp_stream::executor_type executor() { return stream_.get_executor(); }

  // On the session's strand: closes it if it is still in the idle period `key`.
  void shed(uint64_t key) {
    if (idle_key_ != key || key == 0) return;  // it got a request meanwhile
    idle_key_ = 0;                             // shed_oldest removed it from the map
    ++stats_->shed;
    close();
  }

 private:
  void enter_idle() {
    std::lock_guard<std::mutex> lock(shared_->idle_mu);
    idle_key_ = ++shared_->next_idle_key;
    shared_->idle.emplace(idle_key_, weak_from_this());
  }

  void leave_idle() {
    if (idle_key_ == 0) return;
    std::lock_guard<std::mutex> lock(shared_->idle_mu);
    shared_->idle.erase(idle_key_);
    idle_key_ = 0;
  }

  void read_header() {
    enter_idle();
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
    leave_idle();
    if (ec) return fail(ec);
    first_ = false;
    reserve_body();
  }

  // A body is read only once its bytes fit in the body budget: until then the socket is not
  // read, so the client's sends wait in TCP instead of in our memory. The bytes stay reserved
  // until the response is written (the decoded request lives that long).
  void reserve_body() {
    uint64_t bytes = 0;
    if (!parser_->is_done()) {
      boost::optional<uint64_t> length = parser_->content_length();
      bytes = length ? *length : shared_->config->max_body_mb << 20;  // chunked: the most
    }
    if (bytes == 0) return after_reserve();
    // Weak: a waiting session is kept alive by its budget timer, and the budget (which may
    // outlive it at shutdown) must not keep it.
    budget_ticket_ = body_budget_->acquire_async(
        bytes, [weak = weak_from_this()](Budget::Reservation reservation) {
          auto self = weak.lock();
          if (!self) return;  // the reservation goes back
          asio::post(self->stream_.get_executor(),
                     [self, reservation = std::move(reservation)]() mutable {
                       self->on_reserved(std::move(reservation));
                     });
        });
    if (budget_ticket_ == 0) return;  // granted at once; on_reserved is posted
    budget_timer_.expires_after(std::chrono::seconds(shared_->config->read_timeout_s));
    budget_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->budget_ticket_ == 0) return;
      if (!self->body_budget_->cancel(self->budget_ticket_)) return;  // granted meanwhile
      self->budget_ticket_ = 0;
      self->write_busy("request bodies in memory reached --body-budget-mb (" +
                       std::to_string(self->shared_->config->body_budget_mb) +
                       " MiB) and did not make room within --read-timeout-s; retry");
    });
  }

  void on_reserved(Budget::Reservation reservation) {
    budget_ticket_ = 0;
    budget_timer_.cancel();
    body_hold_ = std::move(reservation);
    after_reserve();
  }

  void after_reserve() {
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
    body_hold_.shrink_to(message.body().size());  // a chunked body reserved the most
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
    write_closing(shared_->app->protocol_error(status, message, remote_));
  }

  void write_busy(const std::string& message) {
    const std::string target = parser_ ? std::string(parser_->get().target()) : std::string();
    write_closing(shared_->app->busy(target, message, remote_));
  }

  // Writes a response after which the connection closes (lingering to drain the request).
  void write_closing(HttpResponse response) {
    keep_alive_ = false;
    ++shared_->busy;
    busy_ = true;
    fatal_ = true;
    write(std::move(response));
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
    body_hold_.reset();
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
    leave_idle();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  asio::steady_timer budget_timer_;  // how long a body may wait for the budget
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
  std::vector<char> drain_buffer_;
  uint64_t discarded_ = 0;
  // Sessions still open at shutdown are destroyed with the io_context, after the App: what they
  // touch then is shared (or, for Shared, outlives the io_context).
  Shared* shared_;
  std::shared_ptr<App::ConnectionStats> stats_;
  std::shared_ptr<Budget> body_budget_;  // outlives body_hold_
  Budget::Reservation body_hold_;
  uint64_t budget_ticket_ = 0;  // waiting for the budget
  uint64_t idle_key_ = 0;       // in Shared::idle while waiting for a request
  std::string remote_;
  bool first_ = true;
  bool keep_alive_ = true;
  bool busy_ = false;
  bool fatal_ = false;
};

bool Shared::shed_oldest() {
  for (;;) {
    std::shared_ptr<Session> session;
    uint64_t key = 0;
    {
      std::lock_guard<std::mutex> lock(idle_mu);
      if (idle.empty()) return false;
      key = idle.begin()->first;
      session = idle.begin()->second.lock();
      idle.erase(idle.begin());
    }
    if (!session) continue;  // being destroyed
    asio::dispatch(session->executor(), [session, key] { session->shed(key); });
    return true;
  }
}

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
    const App::ConnectionStats& stats = *shared_->app->connections();
    const size_t cap = shared_->config->max_connections;
    if (!ec) {
      auto session = std::make_shared<Session>(std::move(socket), shared_);
      // At the cap, the longest-idle connection makes room; with none idle the new one is told.
      if (stats.open.load() > cap && !shared_->shed_oldest()) {
        shared_->warn_limited("connection cap reached", {{"max_connections", cap}});
        session->refuse();
      } else {
        session->start();
      }
      // A refused connection holds its fd while it is told: past a few of those, pause rather
      // than take the fds the judge needs (the kernel's backlog holds the rest meanwhile).
      if (stats.open.load() > cap + kRefusingConnections) return accept_later(20);
      accept();
      return;
    }
    // Out of file descriptors, typically: close an idle connection to get one back, say so, and
    // retry after a pause instead of spinning. The acceptor never stops.
    ++shared_->app->connections()->accept_errors;
    const bool out_of_fds = ec == asio::error::no_descriptors ||
                            ec == boost::system::errc::too_many_files_open_in_system;
    const bool shed = out_of_fds && shared_->shed_oldest();
    shared_->warn_limited("accept failed", {{"error", ec.message()}, {"shed_idle", shed}});
    accept_later(shed ? 5 : 100);
  }

  void accept_later(int64_t delay_ms) {
    retry_timer_.expires_after(std::chrono::milliseconds(delay_ms));
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
  Shared shared;  // before ioc: sessions destroyed with the io_context still use it
  asio::io_context ioc;
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
