using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Conformance.Cli;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Conformance.Tests.Report;

/// <summary>
/// docs/ci: the GitHub Actions workflow and the GitLab CI jobs parse, run the tool only with options it has (each
/// invocation goes through the tool's own parser), and publish what the tool writes where the CI shows it.
/// </summary>
public sealed partial class CiWorkflowTests
{
    /// <summary>The command the workflows run (the dotnet tool's command name).</summary>
    private const string Command = "xmlrpc-conformance";

    private static string CiDirectory => Path.Combine(ReportPaths.RepoRoot, "docs", "ci");

    [Fact]
    public void GitHubActionsRunsTheShardsThenMergesAndPublishesEveryOutput()
    {
        var root = Load("github-actions.yml");
        var jobs = Map(root, "jobs");
        var shard = Map(jobs, "shard");
        var report = Map(jobs, "report");

        var shards = Seq(Map(Map(shard, "strategy"), "matrix"), "shard").Select(s => int.Parse(Scalar(s)!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, shards.Count), shards);
        Assert.Equal("shard", Scalar(report, "needs"));
        Assert.Equal("${{ !cancelled() }}", Scalar(report, "if"));

        var shardSteps = Seq(shard, "steps").Cast<YamlMappingNode>().ToList();
        foreach (var action in new[] { "actions/checkout@", "actions/setup-dotnet@", "actions/setup-python@", "actions/upload-artifact@" })
        {
            Assert.Contains(shardSteps, s => Scalar(s, "uses")?.StartsWith(action, StringComparison.Ordinal) == true);
        }

        // Each matrix entry runs its own shard, with options the tool accepts.
        var run = Assert.Single(Invocations(shardSteps.Select(s => Scalar(s, "run")), $"{Command} "));
        foreach (var k in shards)
        {
            var options = CliOptions.Parse(Args(run, new() { ["${{ matrix.shard }}"] = k.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
            Assert.Equal(new Conformance.Cli.Results.ShardInfo(k, shards.Count), options.Shard);
            Assert.True(options.Plain);
        }

        var shardOut = CliOptions.Parse(Args(run, new() { ["${{ matrix.shard }}"] = "1" })).Out;
        var shardUpload = Assert.Single(shardSteps, s => Scalar(s, "uses")?.StartsWith("actions/upload-artifact@", StringComparison.Ordinal) == true);
        Assert.Equal($"{shardOut}/results.json", Scalar(Map(shardUpload, "with"), "path"));
        Assert.Equal("${{ !cancelled() }}", Scalar(shardUpload, "if"));

        // The report job merges every shard (with and without a baseline), then publishes what merge wrote.
        var steps = Seq(report, "steps").Cast<YamlMappingNode>().ToList();
        var merges = Invocations(steps.Select(s => Scalar(s, "run")), $"{Command} merge ").Select(m => MergeOptions.Parse(Args(m, [])[1..])).ToList();
        Assert.Equal(2, merges.Count);
        Assert.Contains(merges, m => m.Baseline is not null);
        Assert.All(merges, m => Assert.Equal(["shards/*/results.json"], m.Inputs));
        var outDir = Assert.Single(merges.Select(m => m.Out).Distinct());
        var download = Assert.Single(steps, s => Scalar(s, "uses")?.StartsWith("actions/download-artifact@", StringComparison.Ordinal) == true);
        Assert.Equal("shards", Scalar(Map(download, "with"), "path"));

        var summary = Assert.Single(steps, s => Scalar(s, "run")?.Contains("$GITHUB_STEP_SUMMARY", StringComparison.Ordinal) == true);
        Assert.Contains($"cat {outDir}/summary.md >> \"$GITHUB_STEP_SUMMARY\"", Scalar(summary, "run"), StringComparison.Ordinal);
        var upload = Assert.Single(steps, s => Scalar(s, "uses")?.StartsWith("actions/upload-artifact@", StringComparison.Ordinal) == true);
        Assert.Contains($"{outDir}/report.html", Lines(Scalar(Map(upload, "with"), "path")));
        Assert.Contains($"{outDir}/results.json", Lines(Scalar(Map(upload, "with"), "path")));
        var junit = Assert.Single(steps, s => Scalar(s, "uses")?.StartsWith("dorny/test-reporter@", StringComparison.Ordinal) == true);
        Assert.Equal($"{outDir}/junit.xml", Scalar(Map(junit, "with"), "path"));
        Assert.Equal("java-junit", Scalar(Map(junit, "with"), "reporter"));

        // Steps after a failing merge (exit 1 or 3) must still publish.
        Assert.All(new[] { summary, upload, junit }, s => Assert.Equal("${{ !cancelled() }}", Scalar(s, "if")));
        AssertToolInstall(root, steps.Select(s => Scalar(s, "run")));
    }

    [Fact]
    public void GitLabCiRunsParallelShardsThenMergesAndPublishesEveryOutput()
    {
        var root = Load("gitlab-ci.yml");
        var shard = Map(root, "conformance-shard");
        var report = Map(root, "conformance-report");
        var n = int.Parse(Scalar(shard, "parallel")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(n >= 2);

        var run = Assert.Single(Invocations(Seq(shard, "script").Select(Scalar), $"{Command} "));
        for (var k = 1; k <= n; k++)
        {
            var options = CliOptions.Parse(Args(run, new() { ["$CI_NODE_INDEX"] = k.ToString(System.Globalization.CultureInfo.InvariantCulture), ["$CI_NODE_TOTAL"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
            Assert.Equal(new Conformance.Cli.Results.ShardInfo(k, n), options.Shard);
            Assert.Equal($"shards/{k}", options.Out);
        }

        Assert.Equal("always", Scalar(Map(shard, "artifacts"), "when"));
        Assert.Equal(["shards/$CI_NODE_INDEX/results.json"], Seq(Map(shard, "artifacts"), "paths").Select(Scalar));

        Assert.Equal(["conformance-shard"], Seq(report, "needs").Select(Scalar));
        Assert.Equal("always", Scalar(report, "when"));
        var script = Seq(report, "script").Select(Scalar).ToList();
        var merges = Invocations(script, $"{Command} merge ").Select(m => MergeOptions.Parse(Args(m, [])[1..])).ToList();
        Assert.Equal(2, merges.Count);
        Assert.Contains(merges, m => m.Baseline is not null);
        Assert.All(merges, m => Assert.Equal(["shards/*/results.json"], m.Inputs));
        var outDir = Assert.Single(merges.Select(m => m.Out).Distinct());
        Assert.Contains(script, s => s?.Contains($"cat {outDir}/summary.md", StringComparison.Ordinal) == true);

        var artifacts = Map(report, "artifacts");
        Assert.Equal("always", Scalar(artifacts, "when"));
        Assert.Equal($"{outDir}/junit.xml", Scalar(Map(artifacts, "reports"), "junit"));
        var paths = Seq(artifacts, "paths").Select(Scalar).ToList();
        Assert.Contains($"{outDir}/report.html", paths);
        Assert.Contains($"{outDir}/summary.md", paths);
        Assert.False(string.IsNullOrEmpty(Scalar(artifacts, "expose_as")));
        AssertToolInstall(root, Seq(Map(root, ".xmlrpc-conformance-tool"), "before_script").Select(Scalar));
    }

    [Fact]
    public void TheCiReadmeNamesBothFilesAndTheExitCodes()
    {
        var readme = File.ReadAllText(Path.Combine(CiDirectory, "README.md"));
        Assert.Contains("github-actions.yml", readme, StringComparison.Ordinal);
        Assert.Contains("gitlab-ci.yml", readme, StringComparison.Ordinal);
        foreach (var code in new[] { ExitCodes.Failed, ExitCodes.Regression, ExitCodes.MergeConflict })
        {
            Assert.Contains($"| {code} |", readme, StringComparison.Ordinal);
        }
    }

    // The workflows install the tool package by its id and version and run its command: the same as the CLI project
    // packs (PackAsTool) and the one version of Directory.Build.props.
    private static void AssertToolInstall(YamlMappingNode root, IEnumerable<string?> scripts)
    {
        Assert.Contains(scripts, s => s?.Contains("dotnet tool install --global \"$TOOL_PACKAGE\"", StringComparison.Ordinal) == true);
        var project = XDocument.Load(Path.Combine(ReportPaths.RepoRoot, "suite", "Conformance.Cli", "Conformance.Cli.csproj"));
        var props = XDocument.Load(Path.Combine(ReportPaths.RepoRoot, "Directory.Build.props"));
        var variables = root.Children.TryGetValue(new YamlScalarNode("env"), out var env) ? (YamlMappingNode)env : Map(root, "variables");
        Assert.Equal(Command, project.Descendants("ToolCommandName").Single().Value);
        Assert.Equal(project.Descendants("PackageId").Single().Value, Scalar(variables, "TOOL_PACKAGE"));
        Assert.Equal(props.Descendants("VersionPrefix").Single().Value, Scalar(variables, "TOOL_VERSION"));
    }

    private static YamlMappingNode Load(string name)
    {
        var yaml = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Path.Combine(CiDirectory, name)));
        yaml.Load(reader);
        return (YamlMappingNode)Assert.Single(yaml.Documents).RootNode;
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? (YamlMappingNode)child : throw new Xunit.Sdk.XunitException($"no mapping '{key}'");

    private static IEnumerable<YamlNode> Seq(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? ((YamlSequenceNode)child).Children : throw new Xunit.Sdk.XunitException($"no sequence '{key}'");

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? Scalar(child) : null;

    private static string? Scalar(YamlNode node) => (node as YamlScalarNode)?.Value;

    private static string[] Lines(string? text) => (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The shell command lines (continuations joined) of <paramref name="scripts"/> that start with <paramref name="prefix"/>.</summary>
    private static List<string> Invocations(IEnumerable<string?> scripts, string prefix) =>
        [.. scripts.Where(s => s is not null)
            .SelectMany(s => s!.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n'))
            .Select(l => l.Trim())
            .Where(l => l.StartsWith(prefix, StringComparison.Ordinal))];

    /// <summary>
    /// The arguments of one shell command line after the command: quotes removed, the line cut at the first shell operator,
    /// <c>$(command -v NAME)</c> read as <c>/usr/bin/NAME</c> and <paramref name="variables"/> substituted; any other
    /// <c>$</c> is a variable this test does not know, so it fails rather than guess.
    /// </summary>
    private static string[] Args(string line, Dictionary<string, string> variables)
    {
        var text = CommandV().Replace(UpToShellOperator(line), m => "/usr/bin/" + m.Groups[1].Value);
        foreach (var (name, value) in variables)
        {
            text = text.Replace(name, value, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("$", text, StringComparison.Ordinal);
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var ch in text)
        {
            if (quote is not null)
            {
                if (ch == quote)
                {
                    quote = null;
                }
                else
                {
                    word.Append(ch);
                }
            }
            else if (ch is '"' or '\'')
            {
                quote = ch;
                inWord = true;
            }
            else if (char.IsWhiteSpace(ch))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(ch);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        Assert.Equal(Command, words[0]);
        return [.. words.Skip(1)];
    }

    private static string UpToShellOperator(string line)
    {
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quote is not null)
            {
                quote = ch == quote ? null : quote;
            }
            else if (ch is '"' or '\'')
            {
                quote = ch;
            }
            else if (ch is '|' or '&' or ';' or '>' or '<')
            {
                return line[..i];
            }
        }

        return line;
    }

    [GeneratedRegex(@"\$\(command -v ([A-Za-z0-9.]+)\)")]
    private static partial Regex CommandV();
}
