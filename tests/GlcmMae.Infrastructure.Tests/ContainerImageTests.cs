using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GlcmMae.Testing;

namespace GlcmMae.Infrastructure.Tests;

/// <summary>Docker cannot run here, so CI checks what the Dockerfiles and compose file rely on: paths, build properties, users.</summary>
public sealed partial class ContainerImageTests
{
    public static TheoryData<string> Dockerfiles => new("functions/Dockerfile", "trainer/Dockerfile");

    private static string Read(string relative) => File.ReadAllText(Path.Combine(RepositoryPaths.Root, relative));

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Published_projects_exist_and_their_build_properties_are_honoured(string dockerfile)
    {
        var text = Read(dockerfile);
        var publish = PublishCommand().Match(text);
        Assert.True(publish.Success, $"{dockerfile} has no dotnet publish of a project");
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, publish.Groups["project"].Value)), publish.Groups["project"].Value);

        var buildFiles = string.Join('\n', new[] { "Directory.Build.props", "Directory.Build.targets", "shared/GlcmMae.Shared/GlcmMae.Shared.csproj" }.Select(Read));
        foreach (Match property in BuildProperty().Matches(text))
        {
            var condition = $"'$({property.Groups["name"].Value})' == '{property.Groups["value"].Value}'";
            Assert.True(buildFiles.Contains(condition, StringComparison.Ordinal), $"{dockerfile} sets -p:{property.Groups["name"].Value}={property.Groups["value"].Value} but no build file tests {condition}");
        }
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Images_run_as_a_non_root_user(string dockerfile)
    {
        var user = UserDirective().Matches(Read(dockerfile)).LastOrDefault();

        Assert.NotNull(user);
        Assert.DoesNotMatch("^(root|0)$", user.Groups["user"].Value);
    }

    [Fact]
    public void Functions_image_has_a_health_check_on_the_health_endpoint_and_the_cuda_libraries()
    {
        var text = Read("functions/Dockerfile");

        Assert.Contains("HEALTHCHECK", text, StringComparison.Ordinal);
        Assert.Contains("/api/health", text, StringComparison.Ordinal);
        Assert.Contains("libcudnn9-cuda-13", text, StringComparison.Ordinal);
        Assert.Contains("cuda-cudart-13", text, StringComparison.Ordinal);
        Assert.Contains("EXPOSE 8080", text, StringComparison.Ordinal);
        Assert.Contains("targetPort: 8080", Read("infra/modules/containerapps.bicep"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("libturbojpeg")]
    [InlineData("libcharls2")]
    [InlineData("libopenjp2-7")]
    public void Both_images_install_the_codec_libraries_so_training_and_serving_decode_scans_alike(string package)
    {
        // The shared scan reader loads these at run time; an image without one rejects those scans, or would decode
        // them differently from the other image if a fallback existed.
        foreach (var dockerfile in new[] { "functions/Dockerfile", "trainer/Dockerfile" })
        {
            Assert.Matches($@"apt-get install[^\n]*\s{Regex.Escape(package)}", Read(dockerfile));
        }
    }

    [Fact]
    public void Trainer_entrypoint_is_the_glcmmae_assembly()
    {
        Assert.Contains("<AssemblyName>glcmmae</AssemblyName>", Read("trainer/GlcmMae.Trainer/GlcmMae.Trainer.csproj"), StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"/app/glcmmae.dll\"]", Read("trainer/Dockerfile"), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_context_leaves_out_build_outputs_and_node_modules()
    {
        var ignore = Read(".dockerignore").Split('\n').Select(l => l.Trim()).ToArray();

        Assert.Contains("**/bin", ignore);
        Assert.Contains("**/obj", ignore);
        Assert.Contains("**/node_modules", ignore);
    }

    [Fact]
    public void Local_service_bus_emulator_declares_the_topics_the_bicep_deploys()
    {
        var config = JsonNode.Parse(Read("infra/local/servicebus-config.json"))!;
        var topics = config["UserConfig"]!["Namespaces"]![0]!["Topics"]!.AsArray().Select(t => t!["Name"]!.GetValue<string>()).Order();
        var bicep = Read("infra/modules/servicebus.bicep");

        // The topics the functions publish to (model-events is the trainer's, which runs outside the compose file).
        Assert.Equal(["fhir-results", "scan-errors", "scan-results", "study-results"], topics);
        foreach (var topic in topics)
        {
            Assert.Contains($"name: '{topic}'", bicep, StringComparison.Ordinal);
        }

        Assert.Contains("./local/servicebus-config.json", Read("infra/docker-compose.yml"), StringComparison.Ordinal);
        Assert.Contains("dockerfile: functions/Dockerfile", Read("infra/docker-compose.yml"), StringComparison.Ordinal);
    }

    [Fact]
    public void Local_functions_container_reads_scans_and_models_from_azurite_and_takes_a_gpu_only_when_asked()
    {
        var compose = Read("infra/docker-compose.yml");
        var gpu = Read("infra/docker-compose.gpu.yml");

        // The host binds GLCMMAE_Section__Key as Section:Key: Storage:ConnectionString gives it the blob client.
        Assert.Matches(@"GLCMMAE_Storage__ConnectionString: ""[^""]*BlobEndpoint=http://azurite:10000/devstoreaccount1;", compose);
        Assert.Matches(@"GLCMMAE_ServiceBus__ConnectionString: ""Endpoint=sb://servicebus;[^""]*UseDevelopmentEmulator=true;", compose);
        Assert.DoesNotContain("driver: nvidia", compose, StringComparison.Ordinal);
        Assert.Contains("functions:", gpu, StringComparison.Ordinal);
        Assert.Contains("driver: nvidia", gpu, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"dotnet publish\s+(?<project>\S+\.csproj)")]
    private static partial Regex PublishCommand();

    [GeneratedRegex(@"-p:(?<name>\w+)=(?<value>\w+)")]
    private static partial Regex BuildProperty();

    [GeneratedRegex(@"^USER\s+(?<user>\S+)", RegexOptions.Multiline)]
    private static partial Regex UserDirective();
}
