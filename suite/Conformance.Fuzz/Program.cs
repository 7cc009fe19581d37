using System.Diagnostics;
using System.Globalization;
using System.Text;
using Conformance.Catalog;
using Conformance.Fuzz;
using Conformance.Fuzz.Generation;

// Differential fuzzing against CPython: see README.md beside this file.
Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
var options = FuzzOptions.Parse(args);
if (options is null)
{
    return 2;
}

var fixtures = FixturesLocator.Find(options.Fixtures);
var catalog = Catalog.Load(fixtures);
var invalid = Explanations.Validate(catalog).ToList();
if (invalid.Count > 0)
{
    invalid.ForEach(Console.Error.WriteLine);
    return 2;
}

var corpus = Corpus.Load(catalog);
if (options.Http)
{
    options = options with { Start = 0, Count = corpus.Count };
}

using var cancel = new CancellationTokenSource(options.TimeLimit);
await using var worker = await PythonWorker.StartAsync(options.Python, fixtures, cancel.Token);
var differential = new Differential(fixtures);
await using var http = options.Http ? await HttpAnswers.StartAsync(options.Python, fixtures, cancel.Token) : null;
if (http is not null)
{
    Console.WriteLine($"fuzz: over HTTP, {http.Describe}");
}
Console.WriteLine($"fuzz: seed {options.Seed}, {options.Count} documents ({corpus.Count} from the golden tree, then generated and mutated), CPython {worker.Version} ({worker.Expat}) at {options.Python}");

var explained = new SortedDictionary<string, int>(StringComparer.Ordinal);
var unexplained = new List<(int Index, Observation Observation)>();
var groups = new Dictionary<string, int>(StringComparer.Ordinal);
var identical = 0;
var cpythonTime = TimeSpan.Zero;
var ourTime = TimeSpan.Zero;
var clock = Stopwatch.StartNew();
var done = 0;
for (var first = options.Start; first < options.Start + options.Count && !cancel.IsCancellationRequested; first += options.Batch)
{
    var indices = Enumerable.Range(first, Math.Min(options.Batch, options.Start + options.Count - first)).ToList();
    var documents = indices.Select(i => Corpus.Document(options.Seed, i, corpus)).ToList();
    var observations = await EvaluateAsync(documents);
    for (var k = 0; k < documents.Count; k++)
    {
        var observation = observations[k];
        if (observation.Kind is null)
        {
            identical++;
        }
        else if (Explanations.Explain(observation) is { } caseId)
        {
            explained[caseId] = explained.GetValueOrDefault(caseId) + 1;
        }
        else
        {
            var group = Group(observation);
            groups[group] = groups.GetValueOrDefault(group) + 1;
            if (options.Verbose)
            {
                Console.WriteLine($"  #{indices[k]} {group}: {Differential.Shorten(observation.Detail)}");
            }

            if (groups[group] <= options.ExamplesPerGroup)
            {
                unexplained.Add((indices[k], observation));
            }
        }
    }

    done += documents.Count;
    if (options.Verbose || done % 5000 < options.Batch)
    {
        Console.WriteLine($"  {done} documents, {groups.Values.Sum()} unexplained, {Rate(done, clock.Elapsed)} documents/s");
    }
}

var elapsed = clock.Elapsed;
var (cpythonShare, ourShare) = (cpythonTime, ourTime);
var unexplainedCount = groups.Values.Sum();
Console.WriteLine();
Console.WriteLine($"identical: {identical}");
foreach (var (caseId, count) in explained)
{
    var reasons = caseId.Split(" + ").Select(id => catalog.Get(id).Deviation?.Reason ?? catalog.Get(id).NonStrict!.Reason);
    Console.WriteLine($"explained: {count,6} by {caseId} ({string.Join(" + ", reasons)})");
}

foreach (var (group, count) in groups.OrderByDescending(g => g.Value))
{
    Console.WriteLine($"UNEXPLAINED: {count,6} {group}");
}

if (unexplained.Count > 0)
{
    Directory.CreateDirectory(options.Artifacts);
    Console.WriteLine($"minimising {unexplained.Count} examples into {options.Artifacts} ...");
    foreach (var (index, observation) in unexplained)
    {
        var group = Group(observation);
        var minimal = await Minimizer.MinimizeAsync(observation.Document, async candidates =>
        {
            var results = await EvaluateAsync(candidates);
            return [.. results.Select(r => r.Kind == observation.Kind && Explanations.Explain(r) is null && Group(r) == group)];
        });
        var final = (await EvaluateAsync([minimal]))[0];
        var name = Path.Combine(options.Artifacts, $"seed{options.Seed}-{index}");
        await File.WriteAllBytesAsync(name + ".xml", observation.Document);
        await File.WriteAllBytesAsync(name + ".min.xml", minimal);
        await File.WriteAllTextAsync(name + ".txt", Report(index, final));
        Console.WriteLine($"  {name}.min.xml ({minimal.Length} bytes): {final.Kind}: {Differential.Shorten(final.Detail)}");
    }
}

Console.WriteLine();
Console.WriteLine($"throughput: {Rate(done, elapsed)} documents/s over {done} documents in {elapsed.TotalSeconds:F1} s (CPython worker {cpythonShare.TotalSeconds:F1} s, ours {ourShare.TotalSeconds:F1} s)");
Console.WriteLine($"fuzz: {done} documents, {identical} identical, {explained.Values.Sum()} explained, {unexplainedCount} unexplained (CPython {worker.Version}, seed {options.Seed})");
if (done < options.Count)
{
    Console.WriteLine($"fuzz: stopped by the time limit ({options.TimeLimit.TotalSeconds} s) after {done} of {options.Count} documents");
    return 1;
}

return unexplainedCount == 0 ? 0 : 1;

async Task<IReadOnlyList<Observation>> EvaluateAsync(IReadOnlyList<byte[]> documents)
{
    var watch = Stopwatch.StartNew();
    var cpython = await worker.RunAsync(documents, cancel.Token);
    cpythonTime += watch.Elapsed;
    watch.Restart();
    var results = new List<Observation>(documents.Count);
    for (var i = 0; i < documents.Count; i++)
    {
        var ours = await differential.RunAsync(documents[i], cancel.Token);
        results.Add(http is null ? Differential.Compare(documents[i], cpython[i], ours) : await OverHttpAsync(documents[i], cpython[i], ours));
    }

    ourTime += watch.Elapsed;
    return results;
}

// The decodes are the worker's and our parser's as in every run; the answers are the two servers' over HTTP.
async Task<Observation> OverHttpAsync(byte[] document, CPythonResult cpython, OurResult ours)
{
    var theirs = await http.CPythonAsync(document, cancel.Token);
    var mine = await http.OursAsync(document, cancel.Token);
    var observation = Differential.Compare(document, cpython with { Response = theirs.Body }, ours with { Response = mine.Body })
        with { CPythonHttp = theirs, OurHttp = mine };
    return theirs.ToString() == mine.ToString()
        ? observation
        : observation with { Kind = DifferenceKind.Http, Detail = $"HTTP: CPython answered {theirs}, we answered {mine}" };
}

static string Rate(int count, TimeSpan elapsed) => (count / Math.Max(elapsed.TotalSeconds, 1e-9)).ToString("F0", CultureInfo.InvariantCulture);

// Groups name the kind and both sides' verdicts, so one bug found a thousand times is one line and a few examples.
static string Group(Observation o)
{
    var ours = o.Ours.Error is { } e ? e.Kind + ": " + Words(e.Reason) : "decoded";
    var cpython = o.CPythonError ?? "decoded";
    return $"{o.Kind}: CPython {cpython} / ours {ours}";
}

static string Words(string s)
{
    var cut = s.IndexOfAny([':', '(', '\'', '<']);
    return (cut > 0 ? s[..cut] : s).Trim();
}

static string Report(int index, Observation o) =>
    $"""
    document index {index} (reproduce: --seed <seed> --start {index} --count 1)
    kind: {o.Kind}
    {o.Detail}

    CPython decode: {o.CPython.Decode.GetRawText()}
    our parser: {(o.Ours.Error is { } e ? $"{e.Kind}: {e.Message}" : "decoded")}

    CPython's answer:
    {o.CPythonResponseText}
    our answer:
    {o.OurResponseText}
    """;
