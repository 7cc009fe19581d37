namespace Conformance.Catalog;

/// <summary>The outcome of one case on one target (Autobahn|Testsuite / h2spec vocabulary), shared by the judge, the tests and the report.</summary>
public enum Outcome
{
    /// <summary>The target did what the case expects, as CPython does.</summary>
    Pass,

    /// <summary>A real interop break: a changed value, a malformed or missing response, a crash; nothing documents it.</summary>
    Fail,

    /// <summary>A failure listed in <c>fixtures/known-issues.json</c> (a peer's limitation, with reason and link).</summary>
    Known,

    /// <summary>A documented, deliberate difference of our implementation (the case's <c>deviation</c>).</summary>
    Deviation,

    /// <summary>The target does not implement what the case needs; never counted as a pass.</summary>
    Missing,

    /// <summary>
    /// The target answered in a way the XML-RPC spec allows and a Python client still interoperates with, but not as CPython
    /// does (a case's <c>nonStrict</c> alternatives: another fault code or text, another HTTP error status, another help text).
    /// </summary>
    NonStrict,

    /// <summary>The case was not run: its target died (or could not start) before it; the reason is in the detail.</summary>
    NotRun,
}
