namespace Conformance.Load.Scenarios;

/// <summary>The normal client alone, no attack: the latency every other scenario compares with.</summary>
internal sealed class Baseline : IScenario
{
    public string Name => "baseline";

    public string Summary => "the normal client's echo calls with no attack";

    public bool TargetsInParallel => false;

    public async Task RunAsync(ScenarioContext context)
    {
        await context.WithNormalClientAsync(() => Task.Delay(context.Settings.Baseline, context.Token));
        context.Result.SettledRssMiB = context.Rss.SampleNow() / 1024.0;
    }
}
