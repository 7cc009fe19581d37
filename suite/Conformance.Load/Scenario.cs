using System.Globalization;

namespace Conformance.Load;

/// <summary>Counts and durations of one run: the issue's numbers in full mode, smaller ones in --short (CI: the whole harness in under 3 minutes).</summary>
internal sealed record LoadSettings(bool Short)
{
    public TimeSpan Baseline => Short ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(10);

    public int SlowReaders => Short ? 20 : 100;

    public TimeSpan SlowReaderHold => Short ? TimeSpan.FromSeconds(12) : TimeSpan.FromSeconds(30);

    public TimeSpan SlowReaderSettle => Short ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(10);

    public int AmplificationRounds => Short ? 1 : 2;

    public int AmplificationConcurrency => Short ? 4 : 8;

    public TimeSpan AmplificationSettle { get; } = TimeSpan.FromSeconds(10);

    public TimeSpan AmplificationCallTimeout => TimeSpan.FromSeconds(Short ? 90 : 180);

    public int SlowlorisConnections => Short ? 50 : 200;

    public TimeSpan SlowlorisHold => Short ? TimeSpan.FromSeconds(15) : TimeSpan.FromSeconds(45);

    public int ConcurrencyClients => Short ? 16 : 64;

    public int ConcurrencyCalls => Short ? 50 : 500;

    public TimeSpan ConcurrencyCallTimeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>How long each malformed framing waits for an answer.</summary>
    public TimeSpan MalformedCaseTimeout => TimeSpan.FromSeconds(Short ? 8 : 15);

    /// <summary>How long the never-finished headers wait for the server to answer or close (our server's header timeout is 30 s).</summary>
    public TimeSpan HeaderTimeoutCap => TimeSpan.FromSeconds(Short ? 36 : 60);

    public TimeSpan NormalCallTimeout { get; } = TimeSpan.FromSeconds(5);

    public TimeSpan ConnectTimeout { get; } = TimeSpan.FromSeconds(3);
}

/// <summary>A scenario's numbers for one target.</summary>
internal sealed class ScenarioResult(string scenario, string target)
{
    public string Scenario { get; } = scenario;

    public string Target { get; } = target;

    /// <summary>Peak RSS of the server over the scenario (max of sampled VmRSS and VmHWM), MiB.</summary>
    public double? PeakRssMiB { get; set; }

    /// <summary>RSS after the attack ended and the settle period passed, MiB.</summary>
    public double? SettledRssMiB { get; set; }

    public LatencyStats? Normal { get; set; }

    /// <summary>Scenario-specific facts in order: key, text shown, number for the JSON and the ratio column.</summary>
    public List<Fact> Facts { get; } = [];

    public List<string> Notes { get; } = [];

    public string? Error { get; set; }

    public void Fact(string key, double? number, string? text = null) =>
        Facts.Add(new Fact(key, text ?? (number is { } n ? n.ToString("0.##", CultureInfo.InvariantCulture) : "-"), number));

    public void Fact(string key, string text) => Facts.Add(new Fact(key, text, null));

    /// <summary>A fact whose number is a code, not a quantity: no ratio column.</summary>
    public void Code(string key, double? number, string text) => Facts.Add(new Fact(key, text, number, Ratio: false));

    public double? Number(string key) => Facts.FirstOrDefault(f => f.Key == key)?.Number;

    public string? Text(string key) => Facts.FirstOrDefault(f => f.Key == key)?.Text;
}

/// <summary>A scenario fact; <paramref name="Ratio"/> false for numbers a ratio means nothing for (HTTP statuses).</summary>
internal sealed record Fact(string Key, string Text, double? Number, bool Ratio = true);

/// <summary>What a scenario sees: the fresh server, its RSS sampler, the settings.</summary>
internal sealed class ScenarioContext(ServerProcess server, bool keepAlive, RssSampler rss, LoadSettings settings, ScenarioResult result, CancellationToken token)
{
    public ServerProcess Server { get; } = server;

    public RssSampler Rss { get; } = rss;

    /// <summary>Whether well-behaved clients keep connections alive (see <see cref="TargetSpec"/>).</summary>
    public bool KeepAlive { get; } = keepAlive;

    public HttpClient NewClient(int maxConnections) => Http.NewClient(maxConnections, KeepAlive);

    public LoadSettings Settings { get; } = settings;

    public ScenarioResult Result { get; } = result;

    public CancellationToken Token { get; } = token;

    public Uri Url => Server.Url;

    public int Port => Server.Port;

    /// <summary>Runs <paramref name="attack"/> with the normal client calling beside it, and records the normal client's numbers.</summary>
    public async Task WithNormalClientAsync(Func<Task> attack)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var normal = NormalClient.RunAsync(NewClient(1), Url, Settings.NormalCallTimeout, stop.Token, Token);
        try
        {
            await attack();
        }
        finally
        {
            await stop.CancelAsync();
            Result.Normal = await normal;
        }
    }

    /// <summary>Waits, then records settled RSS.</summary>
    public async Task SettleAsync(TimeSpan wait)
    {
        await Task.Delay(wait, Token);
        if (Rss.SampleNow() is { } kb)
        {
            Result.SettledRssMiB = kb / 1024.0;
        }
    }

    /// <summary>Seconds since <paramref name="start"/>, as the facts show them.</summary>
    public static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}

internal interface IScenario
{
    string Name { get; }

    string Summary { get; }

    /// <summary>True when the two targets may run at once (the scenario mostly waits: the malformed framings' timeouts).</summary>
    bool TargetsInParallel { get; }

    Task RunAsync(ScenarioContext context);
}
