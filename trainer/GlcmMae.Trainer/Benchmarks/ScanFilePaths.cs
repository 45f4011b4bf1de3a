namespace GlcmMae.Trainer.Benchmarks;

/// <summary>The files a benchmark option names: a folder stands for every file below it, in ordinal order.</summary>
internal static class ScanFilePaths
{
    /// <exception cref="FileNotFoundException">The path names neither a file nor a folder.</exception>
    public static IEnumerable<string> Expand(string path, string option)
    {
        if (Directory.Exists(path))
        {
            return Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
        }

        return File.Exists(path) ? [path] : throw new FileNotFoundException($"No file or folder at {path}; give scans or folders of scans to {option}.", path);
    }
}
