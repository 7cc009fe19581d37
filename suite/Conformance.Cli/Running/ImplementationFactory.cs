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
/// <see cref="IOurServerHost"/> over Conformance.Server's in-process <see cref="ConformanceHost"/>. The report and the
/// tests therefore cannot disagree about what a case means.
/// </remarks>
public static class ImplementationFactory
{
    /// <summary>The parts of our implementation this build exercises.</summary>
    public static Implementation Create(CatalogSnapshot catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var cases = CaseCatalog.Load(catalog.FixturesDirectory);
        return new Implementation
        {
            Wire = new OurWireChecks(cases),
            Client = new OurClient(cases),
            Server = new OurServerHost(catalog.FixturesDirectory),
            ServiceMethods = ServiceMethods(catalog.FixturesDirectory),
        };
    }

    private static HashSet<string> ServiceMethods(string fixturesDirectory)
    {
        var methods = new XmlRpcMethodRegistry();
        ConformanceService.Register(methods, fixturesDirectory);
        return new HashSet<string>(new XmlRpcDispatcher(methods).MethodNames, StringComparer.Ordinal);
    }

    private sealed class OurWireChecks(CaseCatalog cases) : IWireChecks
    {
        private readonly WireChecks _checks = new(cases);

        public CellVerdict? CheckWriter(CaseEntry testCase) => Verdict(_checks.CheckWriter(cases.Get(testCase.Id)));

        public CellVerdict? CheckParser(CaseEntry testCase) => Verdict(_checks.CheckParser(cases.Get(testCase.Id)));

        // A WireOutcome.KnownIssue is a failure here: the report applies fixtures/known-issues.json itself, per cell,
        // so the same entry decides in the tests and in the report.
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

    private sealed class OurClient(CaseCatalog cases) : ILiveCaseRunner
    {
        private readonly ConcurrentDictionary<(Uri Url, string? Encoding), XmlRpcClient> _clients = new();

        public async Task<CellVerdict> RunAsync(CaseEntry testCase, Uri server, ServerKind serverKind, CancellationToken cancellationToken)
        {
            var liveCase = cases.Get(testCase.Id);
            using var exchanges = ExchangeRecorder.Begin();
            var result = await LiveCheck.RunAsync(liveCase, server, encoding => Client(server, encoding), serverKind == ServerKind.Ours, cases.FixturesDirectory, cancellationToken)
                .ConfigureAwait(false);
            var verdict = !result.Met ? CellVerdict.Fail(result.Detail)
                : result.IsDeviation ? CellVerdict.Deviation(result.Detail)
                : CellVerdict.Pass(result.Detail);
            return verdict with { Request = exchanges.Requests, Response = exchanges.Responses ?? result.RawResponse };
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
}
