using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using XmlRpc.Client;
using XmlRpc.Generators;
using XmlRpc.Server;
using Xunit;

namespace XmlRpc.Tests.Generators;

/// <summary>The source generator run on snippets: what it writes compiles, and what it cannot bind is reported (XRPC001/XRPC002) and left to reflection.</summary>
public sealed class GeneratorDiagnosticsTests
{
    private const string Usings = "using System; using System.Collections.Generic; using System.Threading; using System.Threading.Tasks; using XmlRpc; using XmlRpc.Server; using XmlRpc.Client;\n";

    [Fact]
    public void SupportedContractsAreWrittenAndCompileCleanly()
    {
        var (diagnostics, output, generated) = Run(Usings + """
            namespace Sample;
            public sealed class Point { public int X { get; set; } [XmlRpcMember("why")] public double? Y { get; set; } public string[] Tags = []; }
            public sealed class Calculator
            {
                [XmlRpcMethod("add")] public int Add(int x, int y = 1) => x + y;
                [XmlRpcMethod] public Task<Point> Move(Point p, List<int> by, CancellationToken ct) => Task.FromResult(p);
                [XmlRpcMethod("sum")] public ValueTask<double> Sum(params double[] values) => new(0);
                [XmlRpcMethod] public void Log(string? text, DateTime at, byte[] data, bool flag) { }
            }
            public interface ICalculator
            {
                [XmlRpcMethod("add")] Task<int> AddAsync(int x, int y);
                Task<Point> Move(Point p, List<int> by, CancellationToken ct);
                ValueTask LogAsync(string? text);
            }
            """);

        Assert.Empty(diagnostics);
        Assert.Equal(["Sample.Calculator.XmlRpcBinding.g.cs", "Sample.ICalculator.XmlRpcProxy.g.cs"], generated.Order(StringComparer.Ordinal));
        Assert.Empty(output.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Theory]
    [InlineData("public decimal Price(decimal amount) => amount;", "'Price' has parameter 'amount': 'decimal' has no generated mapping")]
    [InlineData("public Rec Echo(Rec r) => r;", "'Echo' has parameter 'r': 'Sample.Rec' has no public parameterless constructor")]
    [InlineData("public Node Tree(Node n) => n;", "'Tree' has parameter 'n': 'Sample.Node' contains itself")]
    [InlineData("public void Ref(ref int x) { }", "'Ref' has a ref/out/in parameter 'x'")]
    [InlineData("public object Any() => 1;", "'Any' returns 'object' has no generated mapping")]
    [InlineData("public int Init(Frozen f) => 1;", "'Init' has parameter 'f': 'Sample.Frozen.Value' is init-only")]
    public void AnUnboundClassIsReportedAndLeftToReflection(string method, string reason)
    {
        var (diagnostics, output, generated) = Run(Usings + $$"""
            namespace Sample;
            public sealed record Rec(int A);
            public sealed class Node { public Node? Next { get; set; } }
            public sealed class Frozen { public int Value { get; init; } }
            public sealed class Service
            {
                [XmlRpcMethod] public int Fine(int x) => x;
                [XmlRpcMethod] {{method}}
            }
            """);

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("XRPC001", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Contains("'Sample.Service' is bound by reflection: method " + reason, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal("Sample.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(8, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Empty(generated);
        Assert.Empty(output.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void AnUnwritableProxyIsReportedAndLeftToReflection()
    {
        var (diagnostics, _, generated) = Run(Usings + """
            namespace Sample;
            public interface ISync { [XmlRpcMethod("add")] int Add(int x, int y); }
            """);

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("XRPC002", diagnostic.Id);
        Assert.Contains("'Add' does not return Task, Task<T>, ValueTask or ValueTask<T>", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(generated);
    }

    [Fact]
    public void AnUnchangedCompilationReusesTheOutput()
    {
        var compilation = Compile(Usings + "namespace Sample; public sealed class S { [XmlRpcMethod] public int A(int x) => x; }");
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new XmlRpcGenerator().AsSourceGenerator()], driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGenerators(compilation, TestContext.Current.CancellationToken);
        driver = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Unrelated { }", cancellationToken: TestContext.Current.CancellationToken)), TestContext.Current.CancellationToken);

        var outputs = driver.GetRunResult().Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs);
        Assert.All(outputs, o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    private static (ImmutableArray<Diagnostic> Diagnostics, Compilation Output, string[] Generated) Run(string source)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new XmlRpcGenerator());
        driver = driver.RunGeneratorsAndUpdateCompilation(Compile(source), out var output, out var diagnostics, TestContext.Current.CancellationToken);
        var generated = driver.GetRunResult().GeneratedTrees.Select(t => Path.GetFileName(t.FilePath)).ToArray();
        return (diagnostics, output, generated);
    }

    private static CSharpCompilation Compile(string source)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat([typeof(XmlRpcValue).Assembly.Location, typeof(XmlRpcMethodRegistry).Assembly.Location, typeof(XmlRpcClient).Assembly.Location])
            .Distinct(StringComparer.Ordinal)
            .Select(p => MetadataReference.CreateFromFile(p));
        return CSharpCompilation.Create(
            "Sample",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), "Sample.cs", cancellationToken: TestContext.Current.CancellationToken)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }
}
