using System.Reflection;
using System.Runtime.InteropServices;

namespace Conformance.Cli.Running;

/// <summary>The version of our library under test, as its assembly states it.</summary>
public static class LibraryVersion
{
    /// <summary>The XmlRpc assembly's informational version (<c>0.1.0+commit</c>), or "unknown".</summary>
    public static string Informational { get; } = Read();

    /// <summary>The .NET runtime the library ran on.</summary>
    public static string Runtime => RuntimeInformation.FrameworkDescription;

    private static string Read()
    {
        try
        {
            var assembly = Assembly.Load(new AssemblyName("XmlRpc"));
            return assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? assembly.GetName().Version?.ToString()
                ?? "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
