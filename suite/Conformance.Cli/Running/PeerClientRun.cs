using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Conformance.Catalog;
using Conformance.Peers;

namespace Conformance.Cli.Running;

/// <summary>
/// Runs a client program that speaks the peer contract of <c>python-peers/README.md</c> once, against
/// one server URL, and collects its JSON lines: a <c>start</c> event, one line per live case
/// (<c>case</c>, <c>outcome</c>, <c>detail</c>, <c>duration</c>), a <c>summary</c> event.
/// </summary>
public static class PeerClientRun
{
    /// <summary>
    /// Runs a command line through the shell (<c>/bin/sh -c</c>, <c>cmd /c</c> on Windows) with
    /// <c>{url}</c> replaced by <paramref name="url"/> and <c>--case</c> globs appended.
    /// </summary>
    public static Task<PeerClientReport> RunCommandAsync(string commandTemplate, Uri url, IReadOnlyList<string> caseGlobs, TimeSpan timeout, Action<PeerCaseLine>? onCase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commandTemplate);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(caseGlobs);
        var command = new StringBuilder(commandTemplate.Replace("{url}", ShellQuote(url.ToString()), StringComparison.Ordinal));
        foreach (var g in caseGlobs)
        {
            command.Append(" --case ").Append(ShellQuote(g));
        }

        var psi = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("cmd.exe") { ArgumentList = { "/c", command.ToString() } }
            : new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", command.ToString() } };
        psi.UseShellExecute = false;
        return RunAsync(psi, timeout, onCase, cancellationToken);
    }

    private static string ShellQuote(string s) =>
        OperatingSystem.IsWindows() ? "\"" + s.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"" : "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static async Task<PeerClientReport> RunAsync(ProcessStartInfo psi, TimeSpan timeout, Action<PeerCaseLine>? onCase, CancellationToken cancellationToken)
    {
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true;
        psi.StandardOutputEncoding = Encoding.UTF8;
        psi.StandardErrorEncoding = Encoding.UTF8;
        psi.Environment["PYTHONUNBUFFERED"] = "1";
        psi.Environment["PYTHONIOENCODING"] = "utf-8";

        var report = new PeerClientReport { Command = Describe(psi) };
        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return report with { Error = "could not start: " + e.Message };
        }

        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        var lines = new ContractLines(onCase);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeoutCts.Token).ConfigureAwait(false) is { } line)
            {
                lines.Add(line);
            }

            await process.WaitForExitAsync(timeoutCts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill(process);
            return lines.Into(report) with { Error = TimedOut(timeout), Stderr = Tail(await SafeAsync(stderr).ConfigureAwait(false)) };
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }

        var err = await SafeAsync(stderr).ConfigureAwait(false);
        var done = lines.Into(report) with { ExitCode = process.ExitCode, Stderr = Tail(err) };
        return done with
        {
            Error = done.Start is null
                ? string.Create(CultureInfo.InvariantCulture, $"printed no start event (exit code {process.ExitCode})")
                    + (err.Length > 0 ? ": " + Tail(err) : "")
                    + (done.OtherOutput is { } other ? "; stdout: " + other : "")
                : null,
        };
    }

    /// <summary>
    /// Collects the lines of a peer client run by Conformance.Peers (a process or a container, <see cref="IClientPeer.RunAsync"/>).
    /// </summary>
    /// <param name="command">What ran, for the report.</param>
    /// <param name="run">The peer's lines.</param>
    /// <param name="timeout">Upper bound of the whole run.</param>
    /// <param name="onCase">Called for each case line as it arrives.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static async Task<PeerClientReport> CollectAsync(string command, Func<CancellationToken, IAsyncEnumerable<PeerLine>> run, TimeSpan timeout, Action<PeerCaseLine>? onCase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var report = new PeerClientReport { Command = command };
        var lines = new ContractLines(onCase);
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        try
        {
            await foreach (var line in run(timeoutCts.Token).WithCancellation(timeoutCts.Token).ConfigureAwait(false))
            {
                lines.Add(line.Text);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return lines.Into(report) with { Error = TimedOut(timeout) };
        }
        catch (PeerException e)
        {
            return lines.Into(report) with { Error = e.Message };
        }

        var done = lines.Into(report);
        return done with { Error = done.Start is null ? "printed no start event" : null };
    }

    private static string TimedOut(TimeSpan timeout) => string.Create(CultureInfo.InvariantCulture, $"timed out after {timeout.TotalSeconds:0} s");

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static async Task<string> SafeAsync(Task<string> task)
    {
        try
        {
            return await task.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or IOException)
        {
            return "";
        }
    }

    internal static string Tail(string text) => text.Length <= 2000 ? text.Trim() : "…" + text[^2000..].Trim();

    private static string Describe(ProcessStartInfo psi) =>
        psi.FileName + " " + string.Join(' ', psi.ArgumentList.Select(a => a.Contains(' ', StringComparison.Ordinal) ? "'" + a + "'" : a));
}

/// <summary>The JSON lines of one contract client run: the start and summary events, one line per case, the rest.</summary>
internal sealed class ContractLines(Action<PeerCaseLine>? onCase)
{
    private readonly Dictionary<string, PeerCaseLine> _cases = new(StringComparer.Ordinal);
    private readonly List<string> _other = [];
    private JsonElement? _start;
    private JsonElement? _summary;

    public void Add(string line)
    {
        if (!TryParse(line, out var json))
        {
            _other.Add(line);
            return;
        }

        if (json.TryGetProperty("event", out var ev))
        {
            if (ev.ValueEquals("start"))
            {
                _start = json;
            }
            else if (ev.ValueEquals("summary"))
            {
                _summary = json;
            }

            return;
        }

        if (json.TryGetProperty("case", out var id) && id.ValueKind == JsonValueKind.String)
        {
            var c = PeerCaseLine.From(json);
            _cases[c.Case] = c;
            onCase?.Invoke(c);
        }
    }

    public PeerClientReport Into(PeerClientReport report) => report with
    {
        Cases = _cases,
        Start = _start,
        Summary = _summary,
        OtherOutput = _other.Count == 0 ? null : PeerClientRun.Tail(string.Join("\n", _other)),
    };

    private static bool TryParse(string line, out JsonElement json)
    {
        json = default;
        if (!line.TrimStart().StartsWith('{'))
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(line);
            json = doc.RootElement.Clone();
            return json.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

/// <summary>What one run of a contract client reported.</summary>
public sealed record PeerClientReport
{
    /// <summary>The command that ran.</summary>
    public required string Command { get; init; }

    /// <summary>The <c>start</c> event (implementation, version, build...).</summary>
    public JsonElement? Start { get; init; }

    /// <summary>The <c>summary</c> event.</summary>
    public JsonElement? Summary { get; init; }

    /// <summary>One line per case, by case id.</summary>
    public IReadOnlyDictionary<string, PeerCaseLine> Cases { get; init; } = new Dictionary<string, PeerCaseLine>();

    /// <summary>Exit code, when it exited.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The end of its standard error.</summary>
    public string? Stderr { get; init; }

    /// <summary>Standard output lines that were not JSON.</summary>
    public string? OtherOutput { get; init; }

    /// <summary>Why the run is unusable (could not start, timed out, no start event).</summary>
    public string? Error { get; init; }

    /// <summary>A string field of the start event.</summary>
    public string? StartField(string name) =>
        Start is { } s && s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>
    /// Does the client run cases of this shape? Its start event may list <c>shapes</c> (a client library has no business with
    /// raw <c>http</c> exchanges); without that list it runs every live shape.
    /// </summary>
    public bool Runs(CaseShape shape) =>
        Start is not { } s || !s.TryGetProperty("shapes", out var shapes) || shapes.ValueKind != JsonValueKind.Array
        || shapes.EnumerateArray().Any(v => string.Equals(v.GetString(), shape.ToString(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>One case line of a contract client.</summary>
public sealed record PeerCaseLine
{
    /// <summary>Case id.</summary>
    public required string Case { get; init; }

    /// <summary><c>pass</c>, <c>fail</c>, <c>missing</c>, <c>deviation</c>, <c>non-strict</c> (lower case, as sent); empty when the line carries only an observation.</summary>
    public required string Outcome { get; init; }

    /// <summary>What the client saw, in the observation format of <see cref="CaseObservation"/>: when present, the report judges it.</summary>
    public JsonElement? Observation { get; init; }

    /// <summary>The observation of the <c>describe</c> call that follows a one-param <c>echo</c>, when the line carries it beside <see cref="Observation"/>.</summary>
    public JsonElement? Describe { get; init; }

    /// <summary>What happened.</summary>
    public string? Detail { get; init; }

    /// <summary>Seconds the case took, as reported.</summary>
    public double Duration { get; init; }

    /// <summary>The request XML, if the client reports it.</summary>
    public string? Request { get; init; }

    /// <summary>The response XML, if the client reports it.</summary>
    public string? Response { get; init; }

    internal static PeerCaseLine From(JsonElement json)
    {
        string? Str(string name) => json.TryGetProperty(name, out var v)
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : v.GetRawText()
            : null;
        return new PeerCaseLine
        {
            Case = json.GetProperty("case").GetString()!,
            Outcome = (Str("outcome") ?? (json.TryGetProperty("observation", out _) ? "" : "fail")).ToLowerInvariant(),
            Observation = json.TryGetProperty("observation", out var o) && o.ValueKind == JsonValueKind.Object ? o.Clone() : null,
            Describe = json.TryGetProperty("describe", out var de) && de.ValueKind == JsonValueKind.Object ? de.Clone() : null,
            Detail = Str("detail"),
            Duration = json.TryGetProperty("duration", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetDouble() : 0,
            Request = Str("request"),
            Response = Str("response"),
        };
    }
}
