namespace Conformance.Cli.Running;

/// <summary>Connects the report to the C# implementation under test.</summary>
/// <remarks>
/// The one place where the report meets the library: <see cref="IWireChecks"/> over the writer,
/// parser and Wire comparison of Conformance.Catalog, <see cref="ILiveCaseRunner"/> over the shared
/// live-case runner (our XmlRpc.Client), <see cref="IOurServerHost"/> over Conformance.Server's
/// in-process host. A part left null is reported as "not available in this build" in the notes and
/// its cells are skipped, never counted as passes.
/// </remarks>
public static class ImplementationFactory
{
    /// <summary>The parts of our implementation this build can exercise.</summary>
    public static Implementation Create(CatalogSnapshot catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new Implementation();
    }
}
