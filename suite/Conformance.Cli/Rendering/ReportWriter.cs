using Conformance.Cli.Results;

namespace Conformance.Cli.Rendering;

/// <summary>Writes <c>results.json</c> and the three renderings of it into one folder.</summary>
public static class ReportWriter
{
    /// <summary>The file names, in the order they are written.</summary>
    public static IReadOnlyList<string> FileNames { get; } = ["results.json", "summary.md", "report.html", "junit.xml"];

    /// <summary>
    /// Writes the sorted <paramref name="document"/> as <c>results.json</c>, then renders the other
    /// files from the JSON text just written (so they can only show what the single source holds).
    /// </summary>
    /// <returns>The full paths written.</returns>
    public static IReadOnlyList<string> WriteAll(ResultsDocument document, string outDirectory)
    {
        ArgumentNullException.ThrowIfNull(document);
        Directory.CreateDirectory(outDirectory);
        var json = document.Sorted().ToJson();
        var source = ResultsDocument.FromJson(json);
        var paths = FileNames.Select(n => Path.Combine(outDirectory, n)).ToList();
        File.WriteAllText(paths[0], json);
        File.WriteAllText(paths[1], MarkdownRenderer.Render(source));
        File.WriteAllText(paths[2], HtmlRenderer.Render(source));
        File.WriteAllText(paths[3], JUnitRenderer.Render(source));
        return paths;
    }

    /// <summary>Re-renders summary.md, report.html and junit.xml from an existing results.json.</summary>
    public static IReadOnlyList<string> RenderFrom(string resultsJsonPath, string outDirectory)
    {
        var source = ResultsDocument.Read(resultsJsonPath);
        Directory.CreateDirectory(outDirectory);
        var paths = FileNames.Skip(1).Select(n => Path.Combine(outDirectory, n)).ToList();
        File.WriteAllText(paths[0], MarkdownRenderer.Render(source));
        File.WriteAllText(paths[1], HtmlRenderer.Render(source));
        File.WriteAllText(paths[2], JUnitRenderer.Render(source));
        return paths;
    }
}
