using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Conformance.Load;

/// <summary>Latency and correctness of a series of calls. A lost call counts in the percentiles at the time it took to fail.</summary>
internal sealed record LatencyStats(int Calls, int Ok, int Lost, int Mismatched, double P50Ms, double P99Ms, double MaxMs, string? FirstError)
{
    public static LatencyStats From(IReadOnlyList<double> millis, int ok, int lost, int mismatched, string? firstError)
    {
        var sorted = millis.Order().ToArray();
        return new LatencyStats(sorted.Length, ok, lost, mismatched, Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted.Length == 0 ? double.NaN : sorted[^1], firstError);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>Thread-safe collector of call outcomes.</summary>
internal sealed class CallTally
{
    private readonly List<double> _millis = [];
    private int _ok;
    private int _lost;
    private int _mismatched;
    private string? _firstError;

    public void Ok(double ms)
    {
        lock (_millis)
        {
            _millis.Add(ms);
            _ok++;
        }
    }

    public void Lost(double ms, string error)
    {
        lock (_millis)
        {
            _millis.Add(ms);
            _lost++;
            _firstError ??= error;
        }
    }

    public void Mismatched(double ms, string error)
    {
        lock (_millis)
        {
            _millis.Add(ms);
            _mismatched++;
            _firstError ??= error;
        }
    }

    public LatencyStats Stats()
    {
        lock (_millis)
        {
            return LatencyStats.From(_millis, _ok, _lost, _mismatched, _firstError);
        }
    }
}

/// <summary>Plain HTTP clients for the well-behaved side: never a proxy (loopback only), bounded per call.</summary>
internal static class Http
{
    public static HttpClient NewClient(int maxConnections, bool keepAlive)
    {
        var client = NewClient(maxConnections);
        client.DefaultRequestHeaders.ConnectionClose = !keepAlive;
        return client;
    }

    private static HttpClient NewClient(int maxConnections) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        MaxConnectionsPerServer = maxConnections,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan, // each call has its own token
    };

    /// <summary>The exception's message with its innermost cause (the socket error under "An error occurred while sending the request").</summary>
    public static string Innermost(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return ReferenceEquals(inner, e) ? e.Message : e.Message + " <- " + inner.GetType().Name + ": " + inner.Message;
    }

    /// <summary>One XML-RPC call whose reply must equal <paramref name="expected"/>; the outcome goes to <paramref name="tally"/>.</summary>
    public static async Task EchoAsync(HttpClient client, Uri url, object expected, TimeSpan timeout, CallTally tally, CancellationToken cancellationToken)
    {
        var body = XmlRpcText.Call("echo", expected);
        var watch = Stopwatch.StartNew();
        using var perCall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        perCall.CancelAfter(timeout);
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, "text/xml");
            using var response = await client.PostAsync(url, content, perCall.Token);
            var text = await response.Content.ReadAsStringAsync(perCall.Token);
            var ms = watch.Elapsed.TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                tally.Lost(ms, string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}"));
                return;
            }

            var (value, error) = XmlRpcText.ParseResponse(text);
            if (error is not null)
            {
                tally.Mismatched(ms, error);
            }
            else if (!XmlRpcText.DeepEquals(expected, value))
            {
                tally.Mismatched(ms, "reply differs from the request: " + XmlRpcText.Shorten(text));
            }
            else
            {
                tally.Ok(ms);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            tally.Lost(watch.Elapsed.TotalMilliseconds, string.Create(CultureInfo.InvariantCulture, $"timeout after {timeout.TotalSeconds:0.#} s"));
        }
        catch (OperationCanceledException)
        {
            // The scenario ended mid-call: neither a reply nor a loss.
        }
        catch (HttpRequestException e)
        {
            tally.Lost(watch.Elapsed.TotalMilliseconds, Innermost(e));
        }
        catch (IOException e)
        {
            tally.Lost(watch.Elapsed.TotalMilliseconds, e.Message);
        }
    }
}

/// <summary>
/// The "normal client": one caller doing small <c>echo</c> calls back to back (a short pause between),
/// each with a unique payload, checking each reply equals what was sent. Runs until stopped.
/// </summary>
internal static class NormalClient
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(20);

    /// <remarks>The call in flight when <paramref name="stop"/> fires is let finish (bounded by its timeout, or <paramref name="abort"/>):
    /// against a server that is stuck, that one call is the evidence.</remarks>
    public static async Task<LatencyStats> RunAsync(HttpClient client, Uri url, TimeSpan callTimeout, CancellationToken stop, CancellationToken abort)
    {
        using var owned = client;
        var tally = new CallTally();
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            var payload = string.Create(CultureInfo.InvariantCulture, $"normal-{n++}-{Guid.NewGuid():N} & <ok>");
            await Http.EchoAsync(client, url, payload, callTimeout, tally, abort);
            try
            {
                await Task.Delay(Pause, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return tally.Stats();
    }
}
