using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Conformance.Load.Scenarios;

/// <summary>
/// Rounds of concurrent <c>system.multicall</c> calls, each of 6 × <c>make_string(16777216)</c> (a ~300-byte request
/// asking for ~96 MiB), read to the end and discarded by a well-behaved client. Peak RSS, and RSS 10 s after the last round.
/// </summary>
internal sealed class Amplification : IScenario
{
    private const int CallsPerMulticall = 6;
    private const int StringLength = 16 * 1024 * 1024;

    public string Name => "amplification";

    public string Summary => "concurrent system.multicall of 6 x make_string(16 MiB), responses read and discarded";

    public bool TargetsInParallel => false;

    public async Task RunAsync(ScenarioContext context)
    {
        var settings = context.Settings;
        var body = XmlRpcText.MultiCall("make_string", StringLength, CallsPerMulticall);
        var outcomes = new List<(double Seconds, long Bytes, string? Error)>();
        await context.WithNormalClientAsync(async () =>
        {
            using var client = context.NewClient(settings.AmplificationConcurrency);
            for (var round = 0; round < settings.AmplificationRounds; round++)
            {
                var calls = Enumerable.Range(0, settings.AmplificationConcurrency).Select(_ => CallAsync(client, context.Url, body, settings.AmplificationCallTimeout, context.Token));
                outcomes.AddRange(await Task.WhenAll(calls));
            }
        });

        var result = context.Result;
        var ok = outcomes.Where(o => o.Error is null).ToArray();
        result.Fact("multicalls", outcomes.Count);
        result.Fact("complete responses", ok.Length);
        if (ok.Length > 0)
        {
            result.Fact("response MiB", ok.Average(o => o.Bytes) / 1024.0 / 1024.0);
            result.Fact("call s (max)", ok.Max(o => o.Seconds));
        }

        foreach (var error in outcomes.Where(o => o.Error is not null).Select(o => o.Error!).Distinct(StringComparer.Ordinal))
        {
            result.Notes.Add("multicall failed: " + error);
        }

        await context.SettleAsync(settings.AmplificationSettle);
    }

    private static async Task<(double Seconds, long Bytes, string? Error)> CallAsync(HttpClient client, Uri url, string body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "text/xml") };
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, bounded.Token);
            await using var stream = await response.Content.ReadAsStreamAsync(bounded.Token);
            var buffer = new byte[81920];
            long total = 0;
            var head = new MemoryStream();
            int n;
            while ((n = await stream.ReadAsync(buffer, bounded.Token)) > 0)
            {
                if (head.Length < 256)
                {
                    head.Write(buffer, 0, Math.Min(n, 256));
                }

                total += n;
            }

            var start = Encoding.UTF8.GetString(head.ToArray());
            var seconds = watch.Elapsed.TotalSeconds;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (seconds, total, string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}: {XmlRpcText.Shorten(start, 80)}"));
            }

            // A fault (e.g. a response-size limit) is a complete answer, but not the 96 MiB one.
            return total < CallsPerMulticall * (long)StringLength
                ? (seconds, total, "short or fault response: " + XmlRpcText.Shorten(start, 120))
                : (seconds, total, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (watch.Elapsed.TotalSeconds, 0, string.Create(CultureInfo.InvariantCulture, $"timeout after {timeout.TotalSeconds:0} s"));
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return (watch.Elapsed.TotalSeconds, 0, Http.Innermost(e));
        }
    }
}
