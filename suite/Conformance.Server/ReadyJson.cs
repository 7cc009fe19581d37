using System.Text.Json.Serialization;

namespace Conformance.Server;

/// <summary>The ready line of the peer contract (python-peers/README.md).</summary>
internal sealed record ReadyEvent(
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("port")] int Port,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("implementation")] string Implementation,
    [property: JsonPropertyName("version")] string Version);

/// <summary>Source-generated JSON for <see cref="ReadyEvent"/> (compact, like Python's print of json.dumps).</summary>
[JsonSerializable(typeof(ReadyEvent))]
internal sealed partial class ReadyJson : JsonSerializerContext;
