using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Conformance.Load;

/// <summary>Console output (a block per scenario and target, then one C# vs CPython table) and the --json file.</summary>
internal static class Report
{
    private static readonly string[] TableHeader = ["scenario", "metric", "C#", "CPython", "C#/CPython"];

    public static void PrintOne(ScenarioResult r, TextWriter output)
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"  {r.Target,-8} peak {Mib(r.PeakRssMiB)}, settled {Mib(r.SettledRssMiB)}");
        if (r.Normal is { } n)
        {
            line.Append(CultureInfo.InvariantCulture, $"; normal client p50 {n.P50Ms:0.0} ms, p99 {n.P99Ms:0.0} ms, {n.Ok}/{n.Calls} ok, lost {n.Lost}, mismatched {n.Mismatched}");
        }

        output.WriteLine(line.ToString());
        foreach (var fact in r.Facts)
        {
            output.WriteLine($"           {fact.Key}: {fact.Text}");
        }

        foreach (var note in r.Notes)
        {
            output.WriteLine("           note: " + note);
        }

        if (r.Normal?.FirstError is { } error)
        {
            output.WriteLine("           normal client's first error: " + error);
        }

        if (r.Error is not null)
        {
            output.WriteLine("           ERROR: " + r.Error);
        }
    }

    /// <summary>Rows: scenario and metric; columns: C#, CPython, C#/CPython.</summary>
    public static void PrintTable(IReadOnlyList<ScenarioResult> results, IReadOnlyList<string> scenarios, TextWriter output)
    {
        var rows = new List<string[]> { TableHeader };
        foreach (var scenario in scenarios)
        {
            var ours = results.FirstOrDefault(r => r.Scenario == scenario && r.Target == "csharp");
            var theirs = results.FirstOrDefault(r => r.Scenario == scenario && r.Target == "cpython");
            foreach (var (metric, a, b) in Metrics(ours, theirs))
            {
                rows.Add([scenario, metric, a?.Text ?? "", b?.Text ?? "", a?.Ratio == false || b?.Ratio == false ? "" : Ratio(a?.Number, b?.Number)]);
            }
        }

        var widths = Enumerable.Range(0, 5).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var (row, index) in rows.Select((r, i) => (r, i)))
        {
            output.WriteLine("| " + string.Join(" | ", row.Select((cell, c) => cell.PadRight(widths[c]))) + " |");
            if (index == 0)
            {
                output.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
            }
        }
    }

    public static void WriteJson(string path, LoadSettings settings, IReadOnlyList<ScenarioResult> results, IReadOnlyList<CheckResult> checks, DateTimeOffset started)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("started", started.ToString("o", CultureInfo.InvariantCulture));
        json.WriteString("mode", settings.Short ? "short" : "full");
        json.WriteNumber("processors", Environment.ProcessorCount);
        json.WriteStartArray("results");
        foreach (var r in results)
        {
            json.WriteStartObject();
            json.WriteString("scenario", r.Scenario);
            json.WriteString("target", r.Target);
            Number(json, "peakRssMiB", r.PeakRssMiB);
            Number(json, "settledRssMiB", r.SettledRssMiB);
            if (r.Normal is { } n)
            {
                json.WriteStartObject("normalClient");
                json.WriteNumber("calls", n.Calls);
                json.WriteNumber("ok", n.Ok);
                json.WriteNumber("lost", n.Lost);
                json.WriteNumber("mismatched", n.Mismatched);
                Number(json, "p50Ms", n.P50Ms);
                Number(json, "p99Ms", n.P99Ms);
                Number(json, "maxMs", n.MaxMs);
                json.WriteString("firstError", n.FirstError);
                json.WriteEndObject();
            }

            json.WriteStartObject("facts");
            foreach (var f in r.Facts)
            {
                json.WriteStartObject(f.Key);
                json.WriteString("text", f.Text);
                Number(json, "number", f.Number);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteStartArray("notes");
            foreach (var note in r.Notes)
            {
                json.WriteStringValue(note);
            }

            json.WriteEndArray();
            json.WriteString("error", r.Error);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("checks");
        foreach (var c in checks)
        {
            json.WriteStartObject();
            json.WriteString("name", c.Name);
            json.WriteBoolean("passed", c.Passed);
            json.WriteString("detail", c.Detail);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static IEnumerable<(string Metric, Fact? A, Fact? B)> Metrics(ScenarioResult? a, ScenarioResult? b)
    {
        static Fact? Mib(double? v) => v is { } x ? new Fact("", x.ToString("0", CultureInfo.InvariantCulture), x) : null;
        static Fact? Ms(double? v) => v is { } x && !double.IsNaN(x) ? new Fact("", x.ToString("0.0", CultureInfo.InvariantCulture), x) : null;
        static Fact? Count(int? v) => v is { } x ? new Fact("", x.ToString(CultureInfo.InvariantCulture), x) : null;

        yield return ("peak RSS MiB", Mib(a?.PeakRssMiB), Mib(b?.PeakRssMiB));
        yield return ("settled RSS MiB", Mib(a?.SettledRssMiB), Mib(b?.SettledRssMiB));
        yield return ("normal p50 ms", Ms(a?.Normal?.P50Ms), Ms(b?.Normal?.P50Ms));
        yield return ("normal p99 ms", Ms(a?.Normal?.P99Ms), Ms(b?.Normal?.P99Ms));
        yield return ("normal ok/calls", Ok(a), Ok(b));
        yield return ("normal lost", Count(a?.Normal?.Lost), Count(b?.Normal?.Lost));
        yield return ("normal mismatched", Count(a?.Normal?.Mismatched), Count(b?.Normal?.Mismatched));
        var keys = (a?.Facts ?? []).Concat(b?.Facts ?? []).Select(f => f.Key).Distinct(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            yield return (key, a?.Facts.FirstOrDefault(f => f.Key == key), b?.Facts.FirstOrDefault(f => f.Key == key));
        }

        if (a?.Error is not null || b?.Error is not null)
        {
            yield return ("error", a?.Error is { } ea ? new Fact("", XmlRpcText.Shorten(ea, 50), null) : null, b?.Error is { } eb ? new Fact("", XmlRpcText.Shorten(eb, 50), null) : null);
        }
    }

    private static Fact? Ok(ScenarioResult? r) =>
        r?.Normal is { } n ? new Fact("", string.Create(CultureInfo.InvariantCulture, $"{n.Ok}/{n.Calls}"), null) : null;

    private static string Ratio(double? a, double? b) =>
        a is { } x && b is { } y && y > 0 && x >= 0 && !double.IsNaN(x) && !double.IsNaN(y)
            ? (x / y).ToString("0.00", CultureInfo.InvariantCulture) + "x"
            : "";

    private static string Mib(double? v) => v is { } x ? x.ToString("0", CultureInfo.InvariantCulture) + " MiB" : "-";

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && !double.IsNaN(v) && !double.IsInfinity(v))
        {
            json.WriteNumber(name, Math.Round(v, 3));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
