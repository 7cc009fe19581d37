#pragma warning disable CA1051, CA1720 // Python's parameter names and public fields mapped as struct members are what is tested.

using System.ComponentModel;
using XmlRpc.Server;

namespace XmlRpc.Tests.Generators;

/// <summary>
/// A typed service under the catalog's method names (so its requests reach real methods), exercising every type the
/// source generator maps: scalars, nullable scalars, arrays, lists, classes as structs (renamed, optional and get-only
/// members, nesting), parameter defaults, <c>params</c>, <see cref="CancellationToken"/>, and void, Task, ValueTask
/// and Task&lt;T&gt; results. It is bound twice, by reflection and by generated code, and both must answer alike.
/// </summary>
public sealed class TypedService
{
    [XmlRpcMethod("echo")]
    [XmlRpcHelp("Return the argument unchanged.")]
    public XmlRpcValue Echo(XmlRpcValue value) => value;

    [XmlRpcMethod("nested.echo")]
    public XmlRpcValue NestedEcho(XmlRpcValue value) => value;

    [XmlRpcMethod("echo_params")]
    [Description("Return all parameters as an array.")]
    public XmlRpcValue[] EchoParams(params XmlRpcValue[] @params) => @params;

    [XmlRpcMethod("add")]
    public int Add(int x, int y) => checked(x + y);

    [XmlRpcMethod("subtract")]
    public double Subtract(double x, double y) => x - y;

    [XmlRpcMethod("multiply")]
    public int Multiply(int x, int y = 2) => checked(x * y);

    [XmlRpcMethod("divide")]
    public int Divide(int x, int y) => x / y;

    [XmlRpcMethod("make_string")]
    public string MakeString(int length) => new('x', length);

    [XmlRpcMethod("today")]
    public DateTime Today() => new(2026, 12, 3, 11, 0, 0, DateTimeKind.Unspecified);

    [XmlRpcMethod("sleep")]
    public async Task<double> SleepAsync(double seconds, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return seconds;
    }

    [XmlRpcMethod("fault")]
    public void Fault(int code, string @string) => throw new InvalidOperationException(code + " " + @string);

    [XmlRpcMethod("notify")]
    public Task NotifyAsync(string? text) => Task.CompletedTask;

    [XmlRpcMethod("flush")]
    public ValueTask FlushAsync() => ValueTask.CompletedTask;

    [XmlRpcMethod("greet")]
    public ValueTask<string> GreetAsync(string name, int? times = null, bool? loud = null, double? pitch = null, DateTime? at = null) =>
        ValueTask.FromResult(string.Concat(Enumerable.Repeat(loud == true ? name.ToUpperInvariant() : name, times ?? 1)) + (pitch is null ? string.Empty : "~") + (at is null ? string.Empty : "@"));

    [XmlRpcMethod("bytes")]
    public byte[]? Bytes(byte[]? data, int[] counts) => data is null ? null : [.. data, .. counts.Select(c => (byte)c)];

    [XmlRpcMethod("validator1.arrayOfStructsTest")]
    public int ArrayOfStructs(List<Stooges> structs) => structs.Sum(s => s.Curly);

    [XmlRpcMethod("validator1.countTheEntities")]
    public EntityCount CountTheEntities(string s) => new()
    {
        LeftAngleBrackets = s.Count(c => c == '<'),
        RightAngleBrackets = s.Count(c => c == '>'),
        Ampersands = s.Count(c => c == '&'),
        Apostrophes = s.Count(c => c == '\''),
        Quotes = s.Count(c => c == '"'),
    };

    [XmlRpcMethod("validator1.easyStructTest")]
    public int EasyStruct(Stooges s) => s.Moe + s.Larry + s.Curly;

    [XmlRpcMethod("validator1.echoStructTest")]
    public XmlRpcValue EchoStruct(XmlRpcValue s) => s;

    [XmlRpcMethod("validator1.manyTypesTest")]
    public IReadOnlyList<XmlRpcValue> ManyTypes(int number, bool boolean, string @string, double @double, DateTime date_time, byte[] base64_value) =>
        [number, boolean, @string, @double, date_time, base64_value];

    [XmlRpcMethod("validator1.moderateSizeArrayCheck")]
    public string ModerateSizeArray(string[] strings) => strings[0] + strings[^1];

    [XmlRpcMethod("validator1.nestedStructTest")]
    public int NestedStruct(XmlRpcValue calendar) => EasyStruct(new Stooges
    {
        Moe = calendar["2000"]["04"]["01"]["moe"].AsInt32(),
        Larry = calendar["2000"]["04"]["01"]["larry"].AsInt32(),
        Curly = calendar["2000"]["04"]["01"]["curly"].AsInt32(),
    });

    [XmlRpcMethod("validator1.simpleStructReturnTest")]
    public Times SimpleStructReturn(int n) => new() { Times10 = n * 10, Times100 = n * 100, Times1000 = n * 1000 };

    [XmlRpcMethod("roster")]
    public Roster Roster(Roster roster, IList<int>? scores = null) => new()
    {
        Team = roster.Team,
        Members = roster.Members,
        Scores = scores is null ? roster.Scores : [.. scores],
        Note = roster.Note,
        Captain = roster.Captain,
    };

    /// <summary>Not marked: not registered (a class with marked methods offers only those).</summary>
    public int Hidden() => 42;
}

public sealed class Stooges
{
    [XmlRpcMember("moe")]
    public int Moe { get; set; }

    [XmlRpcMember("larry")]
    public int Larry { get; set; }

    [XmlRpcMember("curly")]
    public int Curly { get; set; }

    [XmlRpcMember("nickname")]
    public string? Nickname { get; set; }
}

public sealed class EntityCount
{
    [XmlRpcMember("ctLeftAngleBrackets")]
    public int LeftAngleBrackets { get; set; }

    [XmlRpcMember("ctRightAngleBrackets")]
    public int RightAngleBrackets { get; set; }

    [XmlRpcMember("ctAmpersands")]
    public int Ampersands { get; set; }

    [XmlRpcMember("ctApostrophes")]
    public int Apostrophes { get; set; }

    [XmlRpcMember("ctQuotes")]
    public int Quotes { get; set; }
}

public sealed class Times
{
    [XmlRpcMember("times10")]
    public int Times10 { get; set; }

    [XmlRpcMember("times100")]
    public int Times100 { get; set; }

    [XmlRpcMember("times1000")]
    public int Times1000 { get; set; }
}

public class Team
{
    public string Name { get; set; } = string.Empty;

    [XmlRpcMember(Optional = true)]
    public double Rating { get; set; }

    public DateTime? Founded { get; set; }
}

public sealed class Roster
{
    public Team? Team { get; set; }

    public Stooges[] Members { get; set; } = [];

    public List<int> Scores { get; set; } = [];

    [XmlRpcIgnore]
    public string Secret { get; set; } = "hidden";

    public string? Note;

    public bool Captain;

    public int MemberCount => Members.Length;

    public IReadOnlyList<byte[]>? Blobs { get; set; }
}
