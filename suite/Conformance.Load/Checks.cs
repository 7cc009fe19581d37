using System.Globalization;
using Conformance.Load.Scenarios;

namespace Conformance.Load;

/// <summary>One threshold check on our (C#) server: what it asks, whether it held, and what was measured.</summary>
internal sealed record CheckResult(string Name, bool Passed, string Detail);

/// <summary>
/// The targets for OUR server, checked in --short mode (and shown, without failing, in full mode).
/// CPython is measured beside it with no expectation.
/// </summary>
internal static class Checks
{
    // The issue's target: "100 slow readers of 16 MiB results -> server RSS <= 300 MB and the connections dropped within
    // the documented timeout". 300 MB is 286 MiB. Measured 218-249 MiB peak (20 or 100 readers; 1134 / 2626 before the
    // limits, 284-347 before results were charged with their strings and collected as soon as dropped).
    public const double SlowReadersPeakMiB = 300e6 / (1024 * 1024);

    // "amplification: peak <= 1 GB and settled <= 150 MB"
    public const double AmplificationPeakMiB = 1024;
    public const double AmplificationSettledMiB = 150;

    // "slowloris: the normal client's p99 <= 50 ms"
    public const double SlowlorisNormalP99Ms = 50;

    // "concurrency: 0 lost / 0 mismatched"
    public const int ConcurrencyMaxLost = 0;
    public const int ConcurrencyMaxMismatched = 0;

    // "malformed: 400 for each malformed framing, never 500, never a reset". One framing answers otherwise on purpose and is
    // named here: a chunk of 7fffffff bytes that never comes is 408 (the body timed out: nothing malformed was sent). A body cut
    // short by the client's half-close (Content-Length or chunked) is 400 like the rest. The header-timeout case is measured only.
    public const int MalformedStatus = 400;

    public static readonly IReadOnlyDictionary<string, int> MalformedExceptions = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["chunk size 7fffffff"] = 408,
    };

    public const string CheckedTarget = "csharp";

    public static List<CheckResult> Evaluate(IReadOnlyList<ScenarioResult> results)
    {
        var checks = new List<CheckResult>();
        ScenarioResult? Ours(string scenario) => results.FirstOrDefault(r => r.Scenario == scenario && r.Target == CheckedTarget);

        if (Ours("concurrency") is { } concurrency)
        {
            var lost = concurrency.Number("lost") ?? double.NaN;
            var mismatched = concurrency.Number("mismatched") ?? double.NaN;
            checks.Add(new("concurrency: 0 lost, 0 mismatched", concurrency.Error is null && lost <= ConcurrencyMaxLost && mismatched <= ConcurrencyMaxMismatched,
                F($"lost {lost}, mismatched {mismatched}") + ErrorText(concurrency)));
        }

        if (Ours("malformed") is { } malformed)
        {
            foreach (var (name, _, _) in Malformed.Framings)
            {
                var expected = MalformedExceptions.GetValueOrDefault(name, MalformedStatus);
                checks.Add(new(F($"malformed: {name} answered {expected}"), malformed.Error is null && malformed.Number(name) == expected,
                    (malformed.Text(name) ?? "not run") + ErrorText(malformed)));
            }
        }

        if (Ours("slow-readers") is { } readers)
        {
            var peak = readers.PeakRssMiB ?? double.NaN;
            checks.Add(new(F($"slow-readers: peak RSS <= 300 MB ({SlowReadersPeakMiB:0} MiB)"), readers.Error is null && peak <= SlowReadersPeakMiB, F($"peak {peak:0} MiB") + ErrorText(readers)));
            var connected = readers.Number("readers connected") ?? 0;
            var dropped = readers.Number("dropped by server in hold") ?? 0;
            checks.Add(new("slow-readers: every reader dropped within the hold", readers.Error is null && connected > 0 && dropped >= connected,
                F($"{dropped} of {connected} dropped") + ErrorText(readers)));
        }

        if (Ours("amplification") is { } amplification)
        {
            var peak = amplification.PeakRssMiB ?? double.NaN;
            var settled = amplification.SettledRssMiB ?? double.NaN;
            checks.Add(new(F($"amplification: peak RSS <= {AmplificationPeakMiB} MiB"), amplification.Error is null && peak <= AmplificationPeakMiB, F($"peak {peak:0} MiB") + ErrorText(amplification)));
            checks.Add(new(F($"amplification: settled RSS <= {AmplificationSettledMiB} MiB"), amplification.Error is null && settled <= AmplificationSettledMiB, F($"settled {settled:0} MiB") + ErrorText(amplification)));
        }

        if (Ours("slowloris") is { } slowloris)
        {
            var p99 = slowloris.Normal?.P99Ms ?? double.NaN;
            checks.Add(new(F($"slowloris: normal client p99 <= {SlowlorisNormalP99Ms} ms"), slowloris.Error is null && p99 <= SlowlorisNormalP99Ms,
                F($"p99 {p99:0.0} ms, lost {slowloris.Normal?.Lost}") + ErrorText(slowloris)));
        }

        return checks;
    }

    private static string ErrorText(ScenarioResult result) => result.Error is null ? "" : " (scenario error: " + result.Error + ")";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
