using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Conformance.Load.Scenarios;

/// <summary>K clients × R <c>echo</c> calls of unique random payloads (strings, ints, nested structs and arrays); every reply must equal its request.</summary>
internal sealed class Concurrency : IScenario
{
    // Printable ASCII with the three characters XML must escape, plus non-ASCII of 2, 3 and 4 UTF-8 bytes.
    // No control characters and no '\r' (CPython's parser turns "\r" into "\n": a known CPython issue, not what this scenario is about).
    private static readonly string[] Alphabet =
        [.. Enumerable.Range(' ', 95).Select(c => ((char)c).ToString()), "é", "ß", "漢", "字", "€", "😀", "\n", "\t"];

    public string Name => "concurrency";

    public string Summary => "K clients x R echo calls of unique random payloads; lost and mismatched replies";

    public bool TargetsInParallel => false;

    public async Task RunAsync(ScenarioContext context)
    {
        var settings = context.Settings;
        var tally = new CallTally();
        var watch = Stopwatch.StartNew();
        await context.WithNormalClientAsync(async () =>
        {
            using var client = context.NewClient(settings.ConcurrencyClients);
            var clients = Enumerable.Range(0, settings.ConcurrencyClients).Select(k => Task.Run(async () =>
            {
                var random = new Random(1000 + k); // reproducible per client; the ids make every payload unique
                for (var r = 0; r < settings.ConcurrencyCalls && !context.Token.IsCancellationRequested; r++)
                {
                    var payload = Payload(random, string.Create(CultureInfo.InvariantCulture, $"c{k}-r{r}"), depth: 0);
                    await Http.EchoAsync(client, context.Url, payload, settings.ConcurrencyCallTimeout, tally, context.Token);
                }
            }));
            await Task.WhenAll(clients);
        });
        var elapsed = watch.Elapsed;
        var stats = tally.Stats();
        var result = context.Result;
        result.Fact("calls", stats.Calls);
        result.Fact("lost", stats.Lost);
        result.Fact("mismatched", stats.Mismatched);
        result.Fact("calls/s", stats.Calls / elapsed.TotalSeconds);
        result.Fact("call p50 ms", stats.P50Ms);
        result.Fact("call p99 ms", stats.P99Ms);
        if (stats.FirstError is not null)
        {
            result.Notes.Add("first error: " + stats.FirstError);
        }

        result.SettledRssMiB = context.Rss.SampleNow() / 1024.0;
    }

    private static object Payload(Random random, string id, int depth)
    {
        var kind = depth == 0 ? random.Next(3) : random.Next(depth >= 3 ? 2 : 4);
        return kind switch
        {
            0 => id + ":" + RandomString(random),
            1 when depth == 0 => new List<object> { id, random.Next(int.MinValue, int.MaxValue) },
            1 => random.Next(int.MinValue, int.MaxValue),
            2 => Struct(random, id, depth),
            _ => Enumerable.Range(0, random.Next(0, 4)).Select(i => Payload(random, id + "." + i.ToString(CultureInfo.InvariantCulture), depth + 1)).ToList(),
        };
    }

    private static Dictionary<string, object> Struct(Random random, string id, int depth)
    {
        var map = new Dictionary<string, object>(StringComparer.Ordinal) { ["id"] = id };
        var members = random.Next(1, 5);
        for (var i = 0; i < members; i++)
        {
            map["m" + i.ToString(CultureInfo.InvariantCulture) + RandomString(random, 4)] = Payload(random, id + "/" + i.ToString(CultureInfo.InvariantCulture), depth + 1);
        }

        return map;
    }

    private static string RandomString(Random random, int max = 40)
    {
        var text = new StringBuilder();
        var length = random.Next(0, max);
        for (var i = 0; i < length; i++)
        {
            text.Append(Alphabet[random.Next(Alphabet.Length)]);
        }

        return text.ToString();
    }
}
