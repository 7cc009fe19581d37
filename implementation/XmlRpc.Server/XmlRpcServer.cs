using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using XmlRpc.Server.Internal;

namespace XmlRpc.Server;

/// <summary>A standalone XML-RPC server on Kestrel: the .NET counterpart of CPython's <c>SimpleXMLRPCServer</c>.</summary>
/// <remarks>
/// Serves POSTs on <see cref="XmlRpcHostOptions.Paths"/> (404 elsewhere, 501 for other methods) with HTTP/1.1
/// keep-alive, where CPython's server speaks HTTP/1.0 and closes after every reply. Requests are handled
/// concurrently (CPython's <c>SimpleXMLRPCServer</c> is single-threaded). Bind to port 0 and read
/// <see cref="Port"/> / <see cref="Url"/> after <see cref="StartAsync"/>.
/// </remarks>
public sealed class XmlRpcServer : IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private WebApplication? _app;
    private int _port;

    /// <summary>Creates a server for <paramref name="dispatcher"/> (which may also serve <c>MapXmlRpc</c> endpoints).</summary>
    /// <param name="dispatcher">The dispatcher; its <see cref="XmlRpcDispatcher.Options"/> say how requests are answered.</param>
    /// <param name="hostOptions">Where and how the server listens; defaults (127.0.0.1, a free port) when null.</param>
    /// <param name="loggerFactory">Where Kestrel and the server log; none by default.</param>
    public XmlRpcServer(XmlRpcDispatcher dispatcher, XmlRpcHostOptions? hostOptions = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        Dispatcher = dispatcher;
        HostOptions = hostOptions ?? new XmlRpcHostOptions();
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    }

    /// <summary>Creates a server with its own dispatcher over <paramref name="methods"/>.</summary>
    /// <param name="methods">The methods to serve.</param>
    /// <param name="options">How requests are answered; defaults when null.</param>
    /// <param name="hostOptions">Where and how the server listens; defaults (127.0.0.1, a free port) when null.</param>
    /// <param name="loggerFactory">Where Kestrel and the server log; none by default.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid (<see cref="XmlRpcServerOptions.Validate"/>).</exception>
    public XmlRpcServer(XmlRpcMethodRegistry methods, XmlRpcServerOptions? options = null, XmlRpcHostOptions? hostOptions = null, ILoggerFactory? loggerFactory = null)
        : this(new XmlRpcDispatcher(methods, options, loggerFactory?.CreateLogger<XmlRpcDispatcher>()), hostOptions, loggerFactory)
    {
    }

    /// <summary>The dispatcher that answers the calls.</summary>
    public XmlRpcDispatcher Dispatcher { get; }

    /// <summary>Where and how the server listens (read when it starts).</summary>
    public XmlRpcHostOptions HostOptions { get; }

    /// <summary>The port the server listens on (known after <see cref="StartAsync"/>).</summary>
    public int Port => _app is null ? throw new InvalidOperationException("The server is not started.") : _port;

    /// <summary>The endpoint URL, e.g. <c>http://127.0.0.1:PORT/RPC2</c> (the first non-root path, else <c>/</c>).</summary>
    public Uri Url
    {
        get
        {
            var options = HostOptions;
            var path = options.Paths.FirstOrDefault(p => p != "/") ?? options.Paths.FirstOrDefault() ?? "/";
            // Bound to every address: the loopback one is always reachable (python-peers/server.py does the same).
            var host = options.Host switch
            {
                "0.0.0.0" or "" => "127.0.0.1",
                "::" => "[::1]",
                _ when IPAddress.TryParse(options.Host, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 => "[" + options.Host + "]",
                _ => options.Host,
            };
            return new Uri(string.Format(CultureInfo.InvariantCulture, "http://{0}:{1}{2}", host, Port, path));
        }
    }

    /// <summary>Binds and starts serving.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="ArgumentException">The host options are invalid (<see cref="XmlRpcHostOptions.Validate"/>).</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("The server is already started.");
        }

        var options = HostOptions;
        options.Validate();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(_loggerFactory);
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = Dispatcher.Options.MaxRequestBytes;
            kestrel.Limits.MaxConcurrentConnections = options.MaxConcurrentConnections;
            kestrel.Limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
            var address = options.Host switch
            {
                "localhost" => IPAddress.Loopback,
                "" => IPAddress.Any,
                _ => IPAddress.Parse(options.Host),
            };
            kestrel.Listen(address, options.Port, listen =>
            {
                listen.Use(FirstRequestHead.Middleware(options.RequestHeadersTimeout));
                if (options.AnswerHalfClosedConnections)
                {
                    listen.Use(HalfClosedConnections.Middleware);
                }
            });
        });

        var app = builder.Build();
        var paths = new HashSet<string>(options.Paths, StringComparer.Ordinal);
        var logger = _loggerFactory.CreateLogger<XmlRpcServer>();
        app.Run(context =>
        {
            HalfClosedConnections.RequestStarted(context);
            // As CPython's do_POST: the path exactly as sent (not percent-decoded: /%52PC2 is not /RPC2) must be one of
            // the paths; a method other than POST is 501 on every path (BaseHTTPRequestHandler has no do_GET).
            var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
            var target = string.IsNullOrEmpty(raw) ? context.Request.Path.Value ?? "/" : raw.IndexOf('?', StringComparison.Ordinal) is var query and >= 0 ? raw[..query] : raw;
            return paths.Contains(target) || !HttpMethods.IsPost(context.Request.Method)
                ? HttpPipeline.HandleAsync(context, Dispatcher, Dispatcher.Options, logger)
                : HttpPipeline.WriteNotFoundAsync(context);
        });

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        _port = new Uri(addresses.First()).Port;
        _app = app;
    }

    /// <summary>Stops accepting requests and lets running ones finish (until <paramref name="cancellationToken"/>).</summary>
    /// <param name="cancellationToken">Ends the graceful phase.</param>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the server (if running) and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await app.StopAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Disposal does not wait for stuck requests longer than the grace period.
            }

            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
