using System.Collections.Concurrent;
using Conformance.Catalog;
using Conformance.Live;
using Conformance.Server;
using XmlRpc;
using XmlRpc.Client;
using XmlRpc.Server;
using CaseCatalog = Conformance.Catalog.Catalog;

namespace Conformance.Cli.Running;

/// <summary>Connects the report to the C# implementation under test.</summary>
/// <remarks>
/// The one place where the report meets the library: <see cref="IWireChecks"/> over the writer/parser comparison of
/// Conformance.Catalog (<see cref="WireChecks"/>, the same code the Wire tests run), <see cref="ILiveCaseRunner"/> over
/// Conformance.Live's <see cref="LiveCheck"/> (the judge of the interop tests' C#-client rows), and
/// <see cref="IOurServerHost"/> over Conformance.Server's in-process <see cref="ConformanceHost"/> (or, with <c>--server-exe</c>,
/// a published build of it as a process of its own). The report and the
/// tests therefore cannot disagree about what a case means.
/// </remarks>
public static class ImplementationFactory
{
    /// <summary>The parts of our implementation this build exercises.</summary>
    /// <param name="catalog">The catalog of the run.</param>
    /// <param name="serverExecutable">A published build of Conformance.Server to serve our side (<c>--server-exe</c>); null: in this process.</param>
    public static Implementation Create(CatalogSnapshot catalog, string? serverExecutable = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new Implementation
        {
            Wire = new OurWireChecks(catalog.Catalog),
            Client = new OurClient(new Judge(catalog.Catalog)),
            Server = serverExecutable is null ? new OurServerHost(catalog.FixturesDirectory) : new OurServerProcess(Path.GetFullPath(serverExecutable), catalog.FixturesDirectory),
        };
    }

    private sealed class OurWireChecks(CaseCatalog cases) : IWireChecks
    {
        private readonly WireChecks _checks = new(cases);

        public CellVerdict? CheckWriter(CatalogCase testCase) => Verdict(_checks.CheckWriter(testCase));

        public CellVerdict? CheckParser(CatalogCase testCase) => Verdict(_checks.CheckParser(testCase));

        // The report applies fixtures/known-issues.json itself, per cell, with the rule the Wire tests use.
        private static CellVerdict? Verdict(WireCheckResult result) => result.Outcome switch
        {
            WireOutcome.NotApplicable => null,
            WireOutcome.Pass => CellVerdict.Pass(result.Message),
            WireOutcome.Deviation => CellVerdict.Deviation(result.Message, result.Diff),
            _ => CellVerdict.Fail(result.Message, result.Diff) with
            {
                Request = result.Diff is null && result.Actual is { } ours ? System.Text.Encoding.UTF8.GetString(ours) : null,
            },
        };
    }

    private sealed class OurClient(Judge judge) : ILiveCaseRunner
    {
        private readonly ConcurrentDictionary<(Uri Url, string? Encoding), XmlRpcClient> _clients = new();

        public async Task<CellVerdict> RunAsync(CatalogCase testCase, Uri server, JudgeContext context, CancellationToken cancellationToken)
        {
            using var exchanges = ExchangeRecorder.Begin();
            var result = await LiveCheck.RunAsync(testCase, server, encoding => Client(server, encoding), judge, context, cancellationToken).ConfigureAwait(false);
            return CellVerdict.From(testCase, result.Verdict, result.Observation) with { Request = exchanges.Requests, Response = exchanges.Responses ?? result.RawResponse };
        }

        private XmlRpcClient Client(Uri url, string? encoding) =>
            _clients.GetOrAdd((url, encoding), key => new XmlRpcClient(
                new ExchangeRecorder(XmlRpcHttpHandler.CreatePrimaryHandler()),
                new XmlRpcClientOptions
                {
                    Url = key.Url.AbsoluteUri,
                    Timeout = TimeSpan.FromSeconds(30),
                    FormatterOptions = XmlRpcFormatterOptions.Default with { EncodingName = key.Encoding },
                },
                disposeHandler: true));
    }

    private sealed class OurServerHost(string fixturesDirectory) : IOurServerHost
    {
        public async Task<IRunningServer> StartAsync(CancellationToken cancellationToken) =>
            new Running(await ConformanceHost.StartAsync(0, fixturesDirectory, cancellationToken).ConfigureAwait(false));

        private sealed class Running(ConformanceHost host) : IRunningServer
        {
            public Uri Url => host.Url;

            public ValueTask DisposeAsync() => host.DisposeAsync();
        }
    }

    // The same service as a process of its own: a published build (Native AOT, trimmed, or dotnet Conformance.Server.dll
    // through a wrapper) started with the peer contract's flags; it lives until the run disposes it, an hour at most.
    private sealed class OurServerProcess(string executable, string fixturesDirectory) : IOurServerHost
    {
        public async Task<IRunningServer> StartAsync(CancellationToken cancellationToken) =>
            new Running(await ServerProcess.StartAsync(
                "--server-exe " + executable,
                [executable, "--fixtures", fixturesDirectory],
                Path.GetDirectoryName(executable)!,
                TimeSpan.FromHours(1),
                cancellationToken).ConfigureAwait(false), executable);

        private sealed class Running(ServerProcess process, string executable) : IRunningServer
        {
            public Uri Url => process.Url;

            public string Executable => executable;

            public ValueTask DisposeAsync()
            {
                process.Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }
}
