using System.Text;

namespace GlcmMae.Testing;

/// <summary>
/// Stand-ins for the CUDA libraries ONNX Runtime's CUDA provider links against, each call failing as it does on a host
/// whose driver finds no device: with them loaded, the real provider library loads and fails where it would on such a
/// host (opening the device), which no machine without a GPU can show otherwise.
/// </summary>
/// <remarks>
/// Built from the provider's own dynamic symbol table (nm, readelf, gcc), so they follow whichever ONNX Runtime is
/// restored. Loading them by path (<c>NativeLibrary.Load</c>) is enough: the dynamic loader satisfies a library's
/// dependencies with already loaded libraries of the same soname.
/// </remarks>
public static class CudaStubLibraries
{
    /// <summary>cudaErrorNoDevice: what every stubbed call returns.</summary>
    public const int NoDevice = 100;

    /// <summary>The message the stubbed error-string functions return.</summary>
    public const string Message = "no CUDA-capable device is detected (test stub)";

    /// <summary>Builds the stubs for <paramref name="providerLibrary"/> into <paramref name="folder"/> and returns their paths.</summary>
    public static async Task<IReadOnlyList<string>> BuildAsync(string providerLibrary, string folder)
    {
        var needed = (await ExternalTool.RunAsync("readelf", "-d", providerLibrary).ConfigureAwait(false))
            .Split('\n')
            .Where(line => line.Contains("(NEEDED)", StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf('[', StringComparison.Ordinal) + 1)..line.IndexOf(']', StringComparison.Ordinal)])
            .Where(name => name.StartsWith("libcu", StringComparison.Ordinal))
            .ToList();
        var symbols = (await ExternalTool.RunAsync("nm", "-D", "--undefined-only", providerLibrary).ConfigureAwait(false))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1])
            .ToList();
        var paths = new List<string>();
        foreach (var library in needed)
        {
            // Versioned references name their library; the driver API (cu*) is referenced without a version.
            var own = library == "libcuda.so.1"
                ? symbols.Where(s => !s.Contains('@', StringComparison.Ordinal) && s.StartsWith("cu", StringComparison.Ordinal))
                : symbols.Where(s => s.EndsWith("@" + library, StringComparison.Ordinal)).Select(s => s[..s.IndexOf('@', StringComparison.Ordinal)]);
            var source = Path.Combine(folder, library + ".c");
            var versions = Path.Combine(folder, library + ".map");
            await File.WriteAllTextAsync(source, Source(library, own)).ConfigureAwait(false);
            await File.WriteAllTextAsync(versions, $"{library} {{ global: *; }};\n").ConfigureAwait(false);
            var output = Path.Combine(folder, library);
            await ExternalTool.RunAsync("gcc", "-shared", "-fPIC", "-o", output, $"-Wl,-soname,{library}", $"-Wl,--version-script={versions}", source).ConfigureAwait(false);
            paths.Add(output);
        }

        return paths;
    }

    private static string Source(string library, IEnumerable<string> symbols)
    {
        var c = new StringBuilder();
        c.AppendLine("/* Stand-in for " + library + ": every call fails with cudaErrorNoDevice. */");
        c.AppendLine("static const char message[] = \"" + Message + "\";");
        c.AppendLine("static void *fat_binary_handle[4];");
        foreach (var symbol in symbols)
        {
            c.AppendLine(symbol switch
            {
                // Error-name functions return strings that ONNX Runtime prints; kernel registration runs when the provider
                // loads and must succeed for the load to get as far as a real one does.
                _ when symbol.EndsWith("ErrorName", StringComparison.Ordinal) || symbol.EndsWith("ErrorString", StringComparison.Ordinal)
                    || symbol.EndsWith("StatusName", StringComparison.Ordinal) || symbol.EndsWith("StatusString", StringComparison.Ordinal)
                    => $"const char *{symbol}(void) {{ return message; }}",
                "__cudaRegisterFatBinary" => $"void **{symbol}(void) {{ return fat_binary_handle; }}",
                "__cudaRegisterFatBinaryEnd" or "__cudaRegisterFunction" or "__cudaRegisterVar" or "__cudaUnregisterFatBinary"
                    => $"void {symbol}(void) {{ }}",
                _ => $"int {symbol}(void) {{ return {NoDevice}; }}",
            });
        }

        return c.ToString();
    }
}
