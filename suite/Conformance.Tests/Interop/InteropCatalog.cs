using Conformance.Catalog;
using Conformance.Peers;
using CaseCatalog = Conformance.Catalog.Catalog;

namespace Conformance.Tests.Interop;

/// <summary>The catalog as the interop tests use it: its live cases and its known issues, loaded once.</summary>
public static class InteropCatalog
{
    private static readonly Lazy<CaseCatalog> Loaded = new(() => CaseCatalog.Load(PeerSettings.ForRepository().FixturesDirectory));

    private static readonly Lazy<Judge> TheJudge = new(() => new Judge(Loaded.Value));

    /// <summary>The catalog (fixtures/ of this checkout, or <c>$CONFORMANCE_FIXTURES</c>).</summary>
    public static CaseCatalog Catalog => Loaded.Value;

    /// <summary>The one judge, over this catalog.</summary>
    public static Judge Judge => TheJudge.Value;

    /// <summary>The non-retired cases with a live shape (<c>call</c>, <c>multicall</c>, <c>http</c>), in catalog order.</summary>
    public static IEnumerable<CatalogCase> LiveCases(CaseShape shape) =>
        shape is CaseShape.Call or CaseShape.Multicall or CaseShape.Http
            ? Catalog.Cases.Where(c => c.Shape == shape)
            : throw new ArgumentOutOfRangeException(nameof(shape), shape, "not a live shape");

    /// <summary>A case by id.</summary>
    public static CatalogCase Case(string id) => Catalog.Get(id);

}
