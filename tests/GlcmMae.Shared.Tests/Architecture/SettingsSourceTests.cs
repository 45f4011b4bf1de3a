using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Architecture;

/// <summary>
/// One configuration story: settings reach the code through IConfiguration (app settings, glcmmae.json, GLCMMAE_
/// variables), never by reading an environment variable on the side, where a settings file or a test's configuration
/// could not reach it.
/// </summary>
public sealed class SettingsSourceTests
{
    /// <summary>The reads that are not settings, each with its reason.</summary>
    private static readonly Dictionary<string, string> Allowed = new(StringComparer.Ordinal)
    {
        ["trainer/GlcmMae.Trainer/Hosting/TrainerSettings.cs"] = "GLCMMAE_SETTINGS names the settings file itself",
        ["trainer/GlcmMae.Trainer/Torch/OpenMpSpin.cs"] = "OMP_WAIT_POLICY belongs to the OpenMP runtime",
        ["shared/GlcmMae.Rehearsal/Storage/AzuriteProcess.cs"] = "PATH, to find the azurite executable",
    };

    [Fact]
    public void No_code_reads_the_environment_beside_the_configuration()
    {
        var readers = new[] { "shared", "trainer", "functions" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(p => File.ReadAllText(p).Contains("Environment.GetEnvironmentVariable(", StringComparison.Ordinal))
            .Select(p => Path.GetRelativePath(RepositoryPaths.Root, p).Replace(Path.DirectorySeparatorChar, '/'))
            .ToList();

        Assert.True(readers.Count > 0, "the scan found nothing: the allowed readers exist");
        var unexpected = readers.Where(p => !Allowed.ContainsKey(p)).ToList();
        Assert.True(unexpected.Count == 0, "files that read environment variables beside the configuration (read the setting through IConfiguration instead): " + string.Join(", ", unexpected));
    }
}
