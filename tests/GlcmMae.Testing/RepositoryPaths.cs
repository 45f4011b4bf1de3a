namespace GlcmMae.Testing;

/// <summary>Locates the repository checkout from a test's output folder.</summary>
public static class RepositoryPaths
{
    private const string Marker = "GlcmMae.Serverless.sln";

    /// <summary>The folder that holds GlcmMae.Serverless.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The tests/ folder (where the pinned Node tools are installed).</summary>
    public static string TestsFolder => Path.Combine(Root, "tests");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, Marker)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Could not find {Marker} above {AppContext.BaseDirectory}; run the tests from a checkout.");
    }
}
