namespace GlcmMae.Infrastructure.Tests;

/// <summary>Every template and parameter file compiles and lints without a single warning.</summary>
public sealed class BicepValidationTests
{
    public static TheoryData<string> Templates => new(TemplateFiles());

    public static TheoryData<string> ParameterFiles => new(ParameterFileNames());

    private static string[] TemplateFiles() =>
        Directory.EnumerateFiles(BicepCli.InfraFolder, "*.bicep", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(BicepCli.InfraFolder, path)).Order().ToArray();

    private static string[] ParameterFileNames() =>
        Directory.EnumerateFiles(BicepCli.InfraFolder, "*.bicepparam")
            .Select(Path.GetFileName).OfType<string>().Order().ToArray();

    [Theory]
    [MemberData(nameof(Templates))]
    public async Task Template_builds_and_lints_cleanly(string template)
    {
        var build = await BicepCli.RunAsync("build", template, "--stdout");
        var lint = await BicepCli.RunAsync("lint", template);

        Assert.True(build.ExitCode == 0 && build.Error.Length == 0, $"bicep build {template}: {build.Error}");
        Assert.True(lint.ExitCode == 0 && lint.Error.Length == 0 && lint.Output.Length == 0, $"bicep lint {template}: {lint.Output}{lint.Error}");
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public async Task Parameter_file_builds_and_lints_cleanly(string parameterFile)
    {
        var build = await BicepCli.RunAsync("build-params", parameterFile, "--stdout");
        var lint = await BicepCli.RunAsync("lint", parameterFile);

        Assert.True(build.ExitCode == 0 && build.Error.Length == 0, $"bicep build-params {parameterFile}: {build.Error}");
        Assert.True(lint.ExitCode == 0 && lint.Error.Length == 0, $"bicep lint {parameterFile}: {lint.Output}{lint.Error}");
    }

    [Fact]
    public void There_are_templates_and_parameter_files_for_dev_and_prod()
    {
        Assert.Contains("main.bicep", TemplateFiles());
        Assert.Equal(["main.bicepparam", "main.dev.bicepparam", "main.prod.bicepparam"], ParameterFileNames());
    }
}
