using System.Diagnostics;
using GlcmMae.Testing;

namespace GlcmMae.Infrastructure.Tests;

/// <summary>
/// infra/deploy.sh against a recording stand-in for az (and curl): the calls it makes, in order, with their arguments,
/// and that it lints clean with ShellCheck. Azure itself is not reached.
/// </summary>
public sealed class DeployScriptTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string Script => Path.Combine(RepositoryPaths.Root, "infra", "deploy.sh");

    [Fact]
    public async Task From_an_empty_group_the_script_deploys_in_two_phases_around_images_built_in_azure_then_the_model_and_a_scan()
    {
        var data = Directory.CreateDirectory(_folder.File("dataset")).FullName;
        var scan = _folder.File("Doe_Jane_0001.dcm");
        await File.WriteAllBytesAsync(scan, [1, 2, 3]);

        var (exitCode, output, error, calls) = await RunAsync("--resource-group", "glcm-rg", "--location", "swedencentral", "--data", data, "--first-model", "--scan", scan, "--tag", "t1");

        Assert.True(exitCode == 0, error);
        Assert.Equal("https://glcdev-functions.example.invalid", output.Trim());
        string[] expected =
        [
            "group create --name glcm-rg --location swedencentral --output none",
            "deployment group create --resource-group glcm-rg --name glcmmae --template-file */infra/main.bicep --parameters */infra/main.dev.bicepparam --parameters deployApps=false *",
            "deployment group show * properties.outputs.registryName.value *",
            "deployment group show * properties.outputs.storageAccountName.value *",
            "deployment group show * properties.outputs.vaultName.value *",
            "deployment group show * properties.outputs.privacyMode.value *",
            "deployment group show * properties.outputs.networkAccess.value *",
            "acr build --registry glcmacr1 --image glcmmae-functions:t1 --file */functions/Dockerfile *",
            "acr repository show --name glcmacr1 --image glcmmae-functions:t1 --query digest *",
            "acr build --registry glcmacr1 --image glcmmae-trainer:t1 --file */trainer/Dockerfile *",
            "acr repository show --name glcmacr1 --image glcmmae-trainer:t1 --query digest *",
            "deployment group create * deployApps=true functionsImageTag=glcmmae-functions@sha256:f0 trainerImageTag=glcmmae-trainer@sha256:7a *",
            "storage blob upload-batch --auth-mode login --account-name glcmst1 --destination training --destination-path dataset --source * --overwrite *",
            "deployment group show * properties.outputs.trainerManualJobName.value *",
            "containerapp job start --resource-group glcm-rg --name glcdev-trainer-now *",
            "containerapp job execution show --resource-group glcm-rg --name glcdev-trainer-now --job-execution-name glcdev-trainer-now-x1 *",
            "containerapp job execution show * --job-execution-name glcdev-trainer-now-x1 *",
            "deployment group show * properties.outputs.functionsUrl.value *",
            "storage blob upload --auth-mode login --account-name glcmst1 --container-name scans --name deploy-check/*.dcm --file * --overwrite *",
        ];
        Assert.Equal(expected.Length, calls.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Matches(calls[i], expected[i]), $"call {i}: {calls[i]}\nexpected: {expected[i]}");
        }

        // The uploaded scan is named by the time, not by its file (which names a patient here).
        Assert.DoesNotContain("Doe", calls[^1].Split(" --file ")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Running_it_again_makes_the_same_calls_and_succeeds()
    {
        var first = await RunAsync("-g", "glcm-rg", "-l", "swedencentral", "--tag", "t2");
        var second = await RunAsync("-g", "glcm-rg", "-l", "swedencentral", "--tag", "t2");

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.Equal(first.Calls, second.Calls);
        Assert.DoesNotContain(first.Calls, c => c.StartsWith("containerapp job", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_first_training_run_fails_the_deployment_and_says_where_to_look()
    {
        var (exitCode, _, error, _) = await RunAsync(new Dictionary<string, string> { ["AZ_STUB_EXECUTION"] = "Failed" }, "-g", "glcm-rg", "-l", "swedencentral", "--first-model", "--tag", "t3");

        Assert.Equal(1, exitCode);
        Assert.Contains("ended Failed", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_private_deployment_lets_the_operator_ranges_through_both_phases_and_warns_when_there_are_none()
    {
        var scan = _folder.File("scan.png");
        await File.WriteAllBytesAsync(scan, [1, 2, 3]);
        var stub = new Dictionary<string, string> { ["AZ_STUB_NETWORK"] = "private" };

        var (exitCode, _, error, calls) = await RunAsync(stub, "-g", "glcm-rg", "-l", "swedencentral", "-e", "prod", "--operator-ip", "203.0.113.7/32", "--operator-ip", "198.51.100.0/24", "--scan", scan, "--tag", "t4");

        Assert.True(exitCode == 0, error);
        var deployments = calls.Where(c => c.StartsWith("deployment group create", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, deployments.Count);
        Assert.All(deployments, d => Assert.Contains("/infra/main.prod.bicepparam", d, StringComparison.Ordinal));
        Assert.All(deployments, d => Assert.Contains("""operatorIpRanges=["203.0.113.7/32","198.51.100.0/24"]""", d, StringComparison.Ordinal));
        Assert.DoesNotContain("--operator-ip <", error, StringComparison.Ordinal);

        var closed = await RunAsync(stub, "-g", "glcm-rg", "-l", "swedencentral", "-e", "prod", "--tag", "t4");
        Assert.Equal(0, closed.ExitCode);
        Assert.All(closed.Calls.Where(c => c.StartsWith("deployment group create", StringComparison.Ordinal)), d => Assert.Contains("operatorIpRanges=[]", d, StringComparison.Ordinal));
        Assert.Contains("--operator-ip <", closed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_privacy_on_the_key_is_made_once_in_the_vault_between_the_phases_and_never_on_a_command_line()
    {
        var stub = new Dictionary<string, string> { ["AZ_STUB_PRIVACY"] = "Pseudonymise" };

        var (exitCode, _, error, calls) = await RunAsync(stub, "-g", "glcm-rg", "-l", "swedencentral", "-e", "prod", "--tag", "t5");

        Assert.True(exitCode == 0, error);
        var show = Array.FindIndex(calls, c => c.StartsWith("keyvault secret show --vault-name glcmkv1 --name privacy-key", StringComparison.Ordinal));
        var set = Array.FindIndex(calls, c => c.StartsWith("keyvault secret set --vault-name glcmkv1 --name privacy-key --file ", StringComparison.Ordinal));
        var phase2 = Array.FindIndex(calls, c => c.Contains("deployApps=true", StringComparison.Ordinal));
        Assert.True(show >= 0 && set > show && phase2 > set, string.Join('\n', calls));
        Assert.DoesNotContain(calls, c => c.Contains("--value", StringComparison.Ordinal));

        // Run again with the key in place: it is kept, not replaced.
        stub["AZ_STUB_SECRET"] = "1";
        var again = await RunAsync(stub, "-g", "glcm-rg", "-l", "swedencentral", "-e", "prod", "--tag", "t5");
        Assert.Equal(0, again.ExitCode);
        Assert.DoesNotContain(again.Calls, c => c.StartsWith("keyvault secret set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_script_lints_clean_with_shellcheck()
    {
        var output = await ExternalTool.RunAsync("shellcheck", Script, Path.Combine(RepositoryPaths.Root, "build", "setup.sh"), Path.Combine(RepositoryPaths.Root, "build", "test.sh"), Path.Combine(RepositoryPaths.Root, "build", "run.sh"));

        Assert.Equal(string.Empty, output.Trim());
    }

    private static bool Matches(string call, string pattern) =>
        System.Text.RegularExpressions.Regex.IsMatch(call, "^" + string.Join(".*", pattern.Split('*').Select(System.Text.RegularExpressions.Regex.Escape)) + "$");

    private Task<(int ExitCode, string Output, string Error, string[] Calls)> RunAsync(params string[] arguments) =>
        RunAsync(new Dictionary<string, string>(), arguments);

    private async Task<(int ExitCode, string Output, string Error, string[] Calls)> RunAsync(Dictionary<string, string> environment, params string[] arguments)
    {
        var bin = Directory.CreateDirectory(_folder.File("bin")).FullName;
        var log = _folder.File($"az-{Guid.NewGuid():N}.log");
        await File.WriteAllTextAsync(Path.Combine(bin, "az"), """
            #!/usr/bin/env bash
            # Records each call; answers the queries deploy.sh reads, as az would with --output tsv.
            echo "$*" >> "$AZ_LOG"
            case "$*" in
                *registryName.value*) echo glcmacr1 ;;
                *storageAccountName.value*) echo glcmst1 ;;
                *networkAccess.value*) echo "${AZ_STUB_NETWORK:-public}" ;;
                *vaultName.value*) echo glcmkv1 ;;
                *privacyMode.value*) echo "${AZ_STUB_PRIVACY:-Off}" ;;
                *"keyvault secret show"*) [ -n "${AZ_STUB_SECRET:-}" ] || exit 3 ;;
                *trainerManualJobName.value*) echo glcdev-trainer-now ;;
                *functionsUrl.value*) echo https://glcdev-functions.example.invalid ;;
                *"repository show"*glcmmae-functions*) echo sha256:f0 ;;
                *"repository show"*glcmmae-trainer*) echo sha256:7a ;;
                *"job start"*) echo glcdev-trainer-now-x1 ;;
                *"execution show"*)
                    if [ -f "$AZ_LOG.running" ]; then echo "${AZ_STUB_EXECUTION:-Succeeded}"; else touch "$AZ_LOG.running"; echo Running; fi ;;
            esac
            """.ReplaceLineEndings("\n"));
        await File.WriteAllTextAsync(Path.Combine(bin, "curl"), "#!/usr/bin/env bash\necho '{\"ready\":true}'\n");
        foreach (var tool in new[] { "az", "curl" })
        {
            // The deployment script is bash: these tests run where bash does.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(Path.Combine(bin, tool), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}";
        start.Environment["AZ_LOG"] = log;
        start.Environment["GLCMMAE_DEPLOY_POLL_SECONDS"] = "0";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var calls = File.Exists(log) ? await File.ReadAllLinesAsync(log) : [];
        return (process.ExitCode, await output, await error, calls);
    }

    public void Dispose() => _folder.Dispose();
}
