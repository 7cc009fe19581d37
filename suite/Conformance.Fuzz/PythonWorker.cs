using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Conformance.Fuzz;

/// <summary>What CPython made of one document: <c>loads</c>' result and its dispatcher's answer.</summary>
/// <param name="Decode">The <c>decode</c> object (<c>decodes</c> or <c>error</c>), as <c>conformance.decode_document</c> writes it.</param>
/// <param name="Response">The bytes <c>SimpleXMLRPCDispatcher._marshaled_dispatch</c> answered; null when it raised.</param>
/// <param name="ServerError">What the dispatcher raised instead of answering (Python 2.7, non-ASCII fault texts).</param>
internal sealed record CPythonResult(JsonElement Decode, byte[]? Response, string? ServerError);

/// <summary>
/// The long-lived CPython worker (<c>python-peers/fuzz_worker.py</c>): batches of documents in, one JSON line per
/// document out. One process per run; documents go in batches so the interpreter's start-up is paid once.
/// </summary>
internal sealed class PythonWorker : IAsyncDisposable
{
    // Arrays nested 600 deep are models nested 1200 deep.
    private static readonly JsonDocumentOptions DeepJson = new() { MaxDepth = 4096 };

    private readonly Process _process;

    private PythonWorker(Process process, string version, string expat)
    {
        _process = process;
        Version = version;
        Expat = expat;
    }

    /// <summary>The interpreter's version (<c>3.11.7</c>).</summary>
    public string Version { get; }

    /// <summary>pyexpat's <c>EXPAT_VERSION</c> (<c>expat_2.5.0</c>): expat's messages depend on it.</summary>
    public string Expat { get; }

    /// <summary>Starts the worker and waits for its ready line.</summary>
    public static async Task<PythonWorker> StartAsync(string python, string fixtures, CancellationToken cancellationToken)
    {
        var script = Path.Combine(Conformance.Catalog.FixturesLocator.PythonPeers(fixtures), "fuzz_worker.py");
        var info = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-u");
        info.ArgumentList.Add(script);
        info.ArgumentList.Add("--fixtures");
        info.ArgumentList.Add(fixtures);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {python}");
        var ready = await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{python} {script} exited before its ready line");
        using var json = JsonDocument.Parse(ready);
        return new PythonWorker(process, json.RootElement.GetProperty("version").GetString()!, json.RootElement.GetProperty("expat").GetString()!);
    }

    /// <summary>Sends one batch and reads its answers, in order.</summary>
    public async Task<IReadOnlyList<CPythonResult>> RunAsync(IReadOnlyList<byte[]> documents, CancellationToken cancellationToken)
    {
        var request = new StringBuilder();
        request.Append("batch ").Append(documents.Count).Append('\n');
        foreach (var document in documents)
        {
            request.Append(Convert.ToBase64String(document)).Append('\n');
        }

        // The worker reads the whole batch before it writes: no deadlock between the two pipes.
        await _process.StandardInput.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
        var results = new List<CPythonResult>(documents.Count);
        for (var i = 0; i < documents.Count; i++)
        {
            var line = await _process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"the CPython worker exited in a batch (document {i} of {documents.Count})");
            using var json = JsonDocument.Parse(line, DeepJson);
            var root = json.RootElement;
            results.Add(new CPythonResult(
                root.GetProperty("decode").Clone(),
                root.TryGetProperty("response", out var response) ? Convert.FromBase64String(response.GetString()!) : null,
                root.TryGetProperty("serverError", out var error) ? error.GetRawText() : null));
        }

        return results;
    }

    /// <summary>Asks the worker to quit, and kills it if it does not within 5 s.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _process.StandardInput.WriteLineAsync("quit").ConfigureAwait(false);
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
