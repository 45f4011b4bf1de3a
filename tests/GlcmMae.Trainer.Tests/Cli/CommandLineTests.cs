using System.Text.Json;
using GlcmMae.Testing;
using GlcmMae.Trainer.Cli;

namespace GlcmMae.Trainer.Tests.Cli;

[Collection(TorchCollection.Name)]
public sealed class CommandLineTests
{
    [Fact]
    public async Task Version_shows_libtorch_and_onnx_runtime_and_succeeds()
    {
        var (exitCode, output) = await InvokeAsync("--version");

        Assert.Equal(0, exitCode);
        Assert.Contains("libtorch", output, StringComparison.Ordinal);
        Assert.Contains("2.10.0", output, StringComparison.Ordinal);
        Assert.Contains("ONNX Runtime", output, StringComparison.Ordinal);
        Assert.Contains("1.31", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quickstart_trains_a_classifier_well_above_chance_and_serves_every_scan()
    {
        using var folder = new GlcmMae.Testing.TempFolder();
        var (exitCode, output) = await InvokeAsync("quickstart", "--json", "--threads", "2", "--root", folder.Path);

        Assert.Equal(0, exitCode);
        using var report = JsonDocument.Parse(output);
        Assert.True(report.RootElement.GetProperty("runtimeCheck").GetProperty("passed").GetBoolean());
        var imaging = report.RootElement.GetProperty("imaging").EnumerateArray().ToArray();
        Assert.Equal(2, imaging.Length);
        Assert.All(imaging, scan =>
        {
            Assert.Equal("1x224x224", scan.GetProperty("tensor").GetString());
            Assert.True(File.Exists(scan.GetProperty("rendered").GetString()));
        });
        Assert.True(report.RootElement.GetProperty("export").GetProperty("parity").GetProperty("passed").GetBoolean());
        Assert.True(report.RootElement.GetProperty("publish").GetProperty("promoted").GetBoolean());
        var outcomes = report.RootElement.GetProperty("serving").GetProperty("outcomes").EnumerateArray().ToArray();
        Assert.Equal(10, outcomes.Length);
        Assert.Single(outcomes, o => o.GetProperty("outcome").GetString() == "error: CorruptFile");
        // Every other held-out scan is labelled, or refused as unlike the training scans (abstention keeps about 95% of
        // in-distribution scans, so a few of nine may be refused); never an untyped failure.
        var abstained = outcomes.Count(o => o.GetProperty("outcome").GetString() == "error: Abstained");
        Assert.Equal(9, Directory.GetFiles(Path.Combine(folder.Path, "topics", "scan-results")).Length + abstained);
        Assert.InRange(abstained, 0, 4);
        Assert.Equal(10, outcomes.Count(o => o.GetProperty("outcome").GetString() is { } text && (!text.StartsWith("error:", StringComparison.Ordinal) || text is "error: CorruptFile" or "error: Abstained")));
        // Three balanced classes: chance is 1/3 (the README has the demo's measured figures).
        var test = report.RootElement.GetProperty("finetune").GetProperty("test");
        Assert.True(test.GetProperty("balancedAccuracy").GetDouble() > 0.45, test.ToString());
        Assert.True(test.GetProperty("macroAuroc").GetDouble() > 0.65, test.ToString());
    }

    [Fact]
    public async Task Quickstart_quick_runs_every_stage_on_one_thread()
    {
        using var folder = new GlcmMae.Testing.TempFolder();
        var (exitCode, output) = await InvokeAsync("quickstart", "--json", "--quick", "--threads", "1", "--root", folder.Path);

        Assert.Equal(0, exitCode);
        using var report = JsonDocument.Parse(output);
        // The smoke scale: 48 images; the keyed split tests about a quarter of them, the same ones every run.
        var lineage = File.ReadLines(Path.Combine(folder.Path, "quickstart", "runs", "finetune", "data.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("split").GetString()).ToArray();
        Assert.Equal(48, lineage.Length);
        Assert.Equal(lineage.Count(s => s == "test"), report.RootElement.GetProperty("finetune").GetProperty("test").GetProperty("count").GetInt32());
        Assert.InRange(lineage.Count(s => s == "test"), 4, 20);
        Assert.Equal(10, report.RootElement.GetProperty("serving").GetProperty("outcomes").GetArrayLength());
    }

    [Fact]
    public async Task Threads_below_one_is_rejected_with_a_message()
    {
        var (exitCode, output) = await InvokeAsync("quickstart", "--threads", "0");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--threads must be at least 1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_decode_reports_every_syntax_and_stage()
    {
        var (exitCode, output) = await InvokeAsync("bench", "decode", "--seconds", "0.01", "--json");

        Assert.Equal(0, exitCode);
        using var report = JsonDocument.Parse(output);
        var rows = report.RootElement.EnumerateArray().ToArray();
        // Built-in syntaxes always; compressed ones too when dcmtk/gdcm (installed by build/setup.sh) can make them.
        Assert.True(rows.Length >= 20, $"{rows.Length} rows");
        Assert.All(rows, row => Assert.True(row.GetProperty("millisecondsPerFile").GetDouble() > 0));
        var syntaxes = rows.Select(row => row.GetProperty("transferSyntax").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "Explicit VR Little Endian", "Implicit VR Little Endian", "Deflated Explicit VR Little Endian", "RLE Lossless" }, syntaxes);
    }

    [Fact]
    public async Task Pretrain_with_a_split_key_never_sees_the_studies_finetune_validates_and_tests_on()
    {
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "data");
        GlcmMae.Trainer.Synthesis.SynthDatasetWriter.Write(data, 8, 64, GlcmMae.Trainer.Synthesis.SynthFormat.Png, seed: 2);
        var pretrain = Path.Combine(folder.Path, "pretrain");
        var finetune = Path.Combine(folder.Path, "finetune");

        var (pretrained, pretrainText) = await InvokeAsync(
            "pretrain", "--data", data, "--output", pretrain, "--epochs", "1", "--batch", "2", "--threads", "1", "--no-plots", "--split-key", "site-a", "--val", "0.2", "--test", "0.3", "--json");
        var (finetuned, finetuneText) = await InvokeAsync(
            "finetune", "--data", data, "--checkpoint", pretrain, "--output", finetune, "--epochs", "1", "--batch", "4", "--threads", "1", "--bootstrap", "0", "--split-key", "site-a", "--val", "0.2", "--test", "0.3", "--json");

        Assert.True(pretrained == 0, pretrainText);
        Assert.True(finetuned == 0, finetuneText);
        var run = File.ReadLines(Path.Combine(pretrain, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).Single(e => e.GetProperty("type").GetString() == "run");
        var lineage = File.ReadLines(Path.Combine(finetune, "data.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("split").GetString()).ToArray();
        Assert.Equal(24, lineage.Length);
        Assert.Equal(lineage.Count(s => s == "train"), run.GetProperty("data").GetProperty("images").GetInt32());
        Assert.True(lineage.Count(s => s == "train") < 24, "nothing was held out");
        var (both, bothText) = await InvokeAsync("finetune", "--data", data, "--checkpoint", pretrain, "--output", finetune, "--split-key", "k", "--folds", "3");
        Assert.Equal(2, both);
        Assert.Contains("--split-key or --folds", bothText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pretrain_runs_from_the_command_line_and_reports_json()
    {
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "data");
        GlcmMae.Trainer.Data.SyntheticTextures.WritePngs(data, 4, 70, seed: 2);
        var output = Path.Combine(folder.Path, "run");

        var (exitCode, text) = await InvokeAsync(
            "pretrain", "--data", data, "--output", output, "--stage", "glcm", "--epochs", "1", "--batch", "2", "--threads", "1",
            "--bins", "64", "--sharpness", "5:30", "--offsets", "1:0,1:270,2:45", "--w-features", "0.5", "--no-plots", "--json");

        Assert.True(exitCode == 0, text);
        using var result = JsonDocument.Parse(text[text.IndexOf('{', StringComparison.Ordinal)..]);
        Assert.Equal(2, result.RootElement.GetProperty("steps").GetInt64());
        var lines = File.ReadAllLines(Path.Combine(output, "metrics.jsonl"));
        Assert.Contains(lines, l => l.Contains("\"features\":", StringComparison.Ordinal) && !l.Contains("\"features\":\"NaN\"", StringComparison.Ordinal));
        // The first step logs each term's gradient norm at the decoder output, the feature term's too.
        var first = JsonDocument.Parse(lines.First(l => l.Contains("\"type\":\"step\"", StringComparison.Ordinal))).RootElement.GetProperty("data").GetProperty("gradients");
        Assert.All(new[] { "mse", "glcm", "ssim", "features" }, term => Assert.True(first.GetProperty(term).GetDouble() > 0, term));
        var state = File.ReadAllText(Directory.GetFiles(Path.Combine(output, "checkpoints"), "state.json", SearchOption.AllDirectories).Single());
        Assert.Contains("\"bins\": 64", state, StringComparison.Ordinal);
        Assert.Contains("\"sharpness\": \"5:30\"", state, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_geometry_is_chosen_on_the_command_line_and_kept_by_the_checkpoint()
    {
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "data");
        await InvokeAsync("synth", "-o", data, "--count", "4", "--size", "40", "--family", "texture");
        var output = Path.Combine(folder.Path, "run");

        var (exitCode, text) = await InvokeAsync(
            "pretrain", "--data", data, "--output", output, "--image-size", "32", "--patch-size", "8", "--decode-resolution", "reduced", "--epochs", "1", "--batch", "4", "--threads", "1", "--no-plots", "--json");
        var (finetuneExit, finetuned) = await InvokeAsync(
            "finetune", "--data", data, "--output", Path.Combine(folder.Path, "scratch"), "--image-size", "32", "--patch-size", "8", "--decode-resolution", "reduced", "--epochs", "1", "--batch", "4",
            "--threads", "1", "--bootstrap", "0", "--json");
        var (badExit, bad) = await InvokeAsync("pretrain", "--data", data, "--output", Path.Combine(folder.Path, "bad"), "--image-size", "30", "--patch-size", "8");

        Assert.True(exitCode == 0, text);
        var state = JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(Path.Combine(output, "checkpoints"), "state.json", SearchOption.AllDirectories).Single())).RootElement;
        Assert.Equal((32, 8), (state.GetProperty("model").GetProperty("imageSize").GetInt32(), state.GetProperty("model").GetProperty("patchSize").GetInt32()));
        // The decode resolution is part of the preprocessing the checkpoint carries to fine-tuning, export and serving.
        Assert.Contains("\"decodeResolution\":\"reduced\"", state.GetProperty("preprocessingSpec").GetString(), StringComparison.Ordinal);
        Assert.True(finetuneExit == 0, finetuned);
        var classifier = File.ReadAllText(Directory.GetFiles(Path.Combine(folder.Path, "scratch"), "classifier.json", SearchOption.AllDirectories).Single());
        Assert.Contains("decodeResolution", classifier, StringComparison.Ordinal);
        Assert.Equal(2, badExit);
        Assert.Contains("whole number", bad, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pretrain_explains_a_missing_dataset()
    {
        var (exitCode, output) = await InvokeAsync("pretrain", "--data", "/nonexistent/glcmmae-data", "--output", Path.Combine(Path.GetTempPath(), "glcmmae-none"));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("does not exist", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_command_action_runs_through_the_one_error_handler()
    {
        var commands = Path.Combine(RepositoryPaths.Root, "trainer", "GlcmMae.Trainer", "Cli", "Commands");
        var actions = Directory.GetFiles(commands, "*.cs").SelectMany(f => File.ReadAllText(f).Split("SetAction(").Skip(1).Select(a => (File: Path.GetFileName(f), Action: a))).ToList();

        Assert.True(actions.Count >= 20, $"only {actions.Count} actions found");
        var unhandled = actions.Where(a => !a.Action.StartsWith("UserErrors.Handle(", StringComparison.Ordinal)).Select(a => a.File).Distinct().ToList();
        Assert.True(unhandled.Count == 0, "actions that bypass Cli/UserErrors: " + string.Join(", ", unhandled));
    }

    [Fact]
    public async Task A_missing_input_is_one_error_line_and_exit_code_2_for_commands_that_had_their_own_handling()
    {
        var (exitCode, _, error) = await CliInvoker.InvokeAsync("bench", "decode", "--files", "/nonexistent/glcmmae-scans", "--json");

        Assert.Equal(2, exitCode);
        Assert.StartsWith("error: ", error.TrimStart(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_command_that_does_work_takes_json()
    {
        static IEnumerable<System.CommandLine.Command> All(System.CommandLine.Command command) => command.Subcommands.SelectMany(All).Prepend(command);

        var runnable = All(GlcmMaeCommandLine.Create()).Where(c => c.Action is not null && c.Parents.Any()).ToList();

        Assert.True(runnable.Count >= 25, $"only {runnable.Count} commands found");
        var without = runnable.Where(c => !c.Options.Any(o => o.Name == "--json")).Select(c => c.Name).ToList();
        Assert.True(without.Count == 0, "commands without --json: " + string.Join(", ", without));
    }

    [Fact]
    public async Task Synth_render_and_inspect_print_exactly_one_json_document_with_json()
    {
        using var temp = new TempFolder();
        var data = Path.Combine(temp.Path, "data");

        var synth = await CliInvoker.InvokeAsync("synth", "--output", data, "--count", "1", "--size", "64", "--format", "dicom-us", "--json");
        var scan = Directory.GetFiles(data, "*.dcm", SearchOption.AllDirectories).First();
        var render = await CliInvoker.InvokeAsync("render", scan, "-o", Path.Combine(temp.Path, "scan.png"), "--json");
        var inspect = await CliInvoker.InvokeAsync("inspect", scan, "--json");

        foreach (var (exitCode, output, error) in new[] { synth, render, inspect })
        {
            Assert.True(exitCode == 0, error);
            using var document = JsonDocument.Parse(output);
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        }

        using var rendered = JsonDocument.Parse(render.Output);
        Assert.Equal(64, rendered.RootElement.GetProperty("width").GetInt32());
        using var written = JsonDocument.Parse(synth.Output);
        Assert.Equal(3, written.RootElement.GetProperty("images").GetInt32());
    }

    [Fact]
    public void Only_built_commands_are_listed()
    {
        var names = GlcmMaeCommandLine.Create().Subcommands.Select(c => c.Name).ToArray();

        Assert.Equal(["synth", "inspect", "render", "pretrain", "finetune", "evaluate", "export", "publish", "models", "classify", "pseudonym", "deid", "upload", "serve", "retrain", "quickstart", "bench"], names);
    }

    [Fact]
    public async Task Finetune_evaluate_export_publish_and_models_run_from_the_command_line()
    {
        using var temp = new TempFolder();
        var data = Path.Combine(temp.Path, "data");
        var (synthExit, _) = await InvokeAsync("synth", "-o", data, "--count", "8", "--size", "64");
        Assert.Equal(0, synthExit);
        var run = Path.Combine(temp.Path, "ft");

        var (exitCode, output) = await InvokeAsync("finetune", "--data", data, "--output", run, "--epochs", "2", "--batch", "8", "--positive", "malignant", "--bootstrap", "20", "--threads", "2");

        Assert.True(exitCode == 0, output);
        Assert.Contains("epoch 2/2", output, StringComparison.Ordinal);
        Assert.Contains("report.html", output, StringComparison.Ordinal);
        var (evaluateExit, evaluation) = await InvokeAsync("evaluate", "--model", run, "--split", "val", "--json", "--bootstrap", "0");
        Assert.True(evaluateExit == 0, evaluation);
        using var json = JsonDocument.Parse(evaluation);
        Assert.Equal("validation split", json.RootElement.GetProperty("evaluatedOn").GetString());
        var (badExit, bad) = await InvokeAsync("finetune", "--data", data, "--output", run, "--positive", "nonexistent");
        Assert.Equal(2, badExit);
        Assert.Contains("error:", bad, StringComparison.Ordinal);

        // Export with parity, publish twice (the second version is gated), promote, roll back.
        var root = Path.Combine(temp.Path, "store");
        var (exportExit, exported) = await InvokeAsync("export", "--model", run, "--json");
        Assert.True(exportExit == 0, exported);
        using (var export = JsonDocument.Parse(exported))
        {
            Assert.True(export.RootElement.GetProperty("parity").GetProperty("passed").GetBoolean());
            Assert.Equal(4, export.RootElement.GetProperty("parity").GetProperty("cases").GetArrayLength());
            var onnx = Onnx.ModelProto.Parser.ParseFrom(await File.ReadAllBytesAsync(Path.Combine(export.RootElement.GetProperty("folder").GetString()!, "model.onnx")));
            var metadata = onnx.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
            Assert.Equal(export.RootElement.GetProperty("version").GetString(), metadata["version"]);
            Assert.Equal("glcmmae-classifier", metadata["name"]);
            Assert.Contains("malignant", metadata["labels"], StringComparison.Ordinal);
            Assert.Equal(64, metadata["preprocessing_hash"].Length);
        }

        var (publishExit, published) = await InvokeAsync("publish", "--model", run, "--name", "us", "--root", root, "--json");
        Assert.True(publishExit == 0, published);
        var first = JsonDocument.Parse(published).RootElement;
        Assert.True(first.GetProperty("promoted").GetBoolean());
        await Task.Delay(1100);
        var (_, second) = await InvokeAsync("publish", "--model", run, "--name", "us", "--root", root, "--promote", "never", "--json");
        var secondVersion = JsonDocument.Parse(second).RootElement.GetProperty("version").GetString()!;
        Assert.NotEqual(first.GetProperty("version").GetString(), secondVersion);
        var (promoteExit, promoted) = await InvokeAsync("models", "promote", "us", secondVersion, "--root", root);
        Assert.True(promoteExit == 0, promoted);
        var (_, rolledBack) = await InvokeAsync("models", "rollback", "us", "--root", root, "--json");
        var rollback = JsonDocument.Parse(rolledBack).RootElement;
        Assert.Equal(first.GetProperty("version").GetString(), rollback.GetProperty("current").GetString());
        Assert.Equal(secondVersion, rollback.GetProperty("previous").GetString());
        var (_, listed) = await InvokeAsync("models", "list", "--root", root, "--json");
        Assert.Equal(2, JsonDocument.Parse(listed).RootElement.GetArrayLength());
        var (historyExit, history) = await InvokeAsync("models", "history", "us", "--root", root, "--json");
        Assert.True(historyExit == 0, history);
        Assert.True(JsonDocument.Parse(history).RootElement.GetProperty("history").GetArrayLength() >= 3, history);
        var (showExit, shown) = await InvokeAsync("models", "show", "us", "--root", root, "--json");
        Assert.True(showExit == 0, shown);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(shown).RootElement.ValueKind);
        var (manifestExit, manifest) = await InvokeAsync("models", "show", "us", secondVersion, "--root", root, "--manifest", "--json");
        Assert.True(manifestExit == 0, manifest);
        Assert.Equal(secondVersion, JsonDocument.Parse(manifest).RootElement.GetProperty("version").GetString());

        // Serve a folder once with the current model, then classify a file directly.
        var scans = Path.Combine(root, "scans");
        Directory.CreateDirectory(scans);
        var scan = Directory.GetFiles(Path.Combine(data, "malignant"))[0];
        File.Copy(scan, Path.Combine(scans, "one.png"));
        await File.WriteAllTextAsync(Path.Combine(scans, "notes.txt"), "not a scan");
        var (serveExit, served) = await InvokeAsync("serve", "--root", root, "--name", "us", "--once", "--json");
        Assert.True(serveExit == 0, served);
        var outcomes = JsonDocument.Parse(served).RootElement;
        Assert.Equal(2, outcomes.GetArrayLength());
        Assert.Single(outcomes.EnumerateArray(), o => o.TryGetProperty("code", out var code) && code.GetString() == "UnsupportedFormat");
        var (againExit, again) = await InvokeAsync("serve", "--root", root, "--name", "us", "--once", "--json");
        Assert.True(againExit == 0, again);
        Assert.Equal(0, JsonDocument.Parse(again).RootElement.GetArrayLength());
        Assert.Single(Directory.GetFiles(Path.Combine(root, "topics", "scan-results")));
        var (classifyExit, classified) = await InvokeAsync("classify", scan, "--root", root, "--name", "us", "--json");
        Assert.True(classifyExit == 0, classified);
        Assert.Equal(rollback.GetProperty("current").GetString(), JsonDocument.Parse(classified).RootElement[0].GetProperty("model").GetProperty("version").GetString());

        // As a user runs it, in a process of its own: standard output is exactly one JSON document even though the
        // CPU build logs a warning (no CUDA provider) on the way; `| jq` must work.
        var (processExit, stdout, stderr) = await RunGlcmmaeAsync("classify", scan, "--root", root, "--name", "us", "--json");
        Assert.True(processExit == 0, stderr);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(stdout).RootElement.ValueKind);
        Assert.Contains("CUDA", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunGlcmmaeAsync(params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "glcmmae.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task Bench_ssl_writes_a_table_of_every_arm_and_mode()
    {
        using var temp = new TempFolder();

        var (exitCode, output) = await InvokeAsync(
            "bench", "ssl", "--output", temp.Path, "--seeds", "1", "--per-class", "16", "--size", "64", "--labelled", "0.5",
            "--mse-epochs", "1", "--glcm-epochs", "1", "--finetune-epochs", "1", "--probe-epochs", "1", "--threads", "2",
            "--bins", "16", "--glcm-normalise", "pixels", "--glcm-region", "image", "--w-ssim", "0");

        Assert.True(exitCode == 0, output);
        var table = await File.ReadAllTextAsync(Path.Combine(temp.Path, "bench-ssl.md"));
        foreach (var arm in new[] { "none", "mae-mse", "glcm-mae", "glcm-mae-features" })
        {
            Assert.Contains($"| {arm} | linear probe |", table, StringComparison.Ordinal);
            Assert.Contains($"| {arm} | fine-tune |", table, StringComparison.Ordinal);
        }

        Assert.Contains("| glcm-features | feature probe |", table, StringComparison.Ordinal);
        Assert.Contains("| glcm-mae | ", table[table.IndexOf("| pretraining | masked MSE |", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Contains("| fine-tune | mae-mse | glcm-mae |", table, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(temp.Path, "bench-ssl.json")));
        Assert.Equal(9, json.RootElement.GetProperty("runs").GetArrayLength());
        // Each pretrained arm's reconstructions are measured for texture fidelity, with finite figures.
        var fidelity = json.RootElement.GetProperty("fidelity");
        Assert.Equal(["mae-mse", "glcm-mae", "glcm-mae-features"], fidelity.EnumerateArray().Select(f => f.GetProperty("arm").GetString()));
        Assert.All(fidelity.EnumerateArray(), f => Assert.True(f.GetProperty("measures").GetProperty("glcmDistance").GetDouble() is > 0 and < 2));
        var comparisons = json.RootElement.GetProperty("comparisons");
        Assert.Equal(10, comparisons.GetArrayLength());
        // Pairs are on the same images: the test split of the one seed, as many as the arms were tested on.
        var testImages = json.RootElement.GetProperty("runs")[0].GetProperty("testImages").GetInt32();
        Assert.All(comparisons.EnumerateArray(), c => Assert.Equal(testImages, c.GetProperty("paired").GetProperty("images").GetInt32()));
        // The test split is never part of the pretraining pool.
        var seedFolder = Path.Combine(temp.Path, "seed-0");
        var pool = (await File.ReadAllLinesAsync(Path.Combine(seedFolder, "pretrain.csv"))).Skip(1).ToHashSet();
        var test = (await File.ReadAllLinesAsync(Path.Combine(seedFolder, "finetune.csv"))).Where(l => l.EndsWith(",test", StringComparison.Ordinal)).Select(l => l.Split(',')[0]).ToArray();
        Assert.NotEmpty(test);
        Assert.DoesNotContain(test, pool.Contains);
        // The stage-2 options reach the glcm-mae arm: a pooled, pixel-normalised GLCM term at 16 bins and no SSIM term.
        var step = File.ReadLines(Path.Combine(seedFolder, "pretrain", "glcm-mae", "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).First(e => e.GetProperty("type").GetString() == "step").GetProperty("data");
        Assert.True(step.GetProperty("glcm").GetDouble() > 0);
        Assert.Equal("NaN", step.GetProperty("ssim").GetString());
    }

    [Fact]
    public async Task Bench_ssl_runs_on_the_users_own_labelled_folder_without_writing_into_it()
    {
        using var temp = new TempFolder();
        var data = Path.Combine(temp.Path, "my-scans");
        var (synthExit, _) = await InvokeAsync("synth", "-o", data, "--count", "12", "--size", "64", "--family", "texture");
        Assert.Equal(0, synthExit);
        // A plain folder of class sub-folders, as a user would have it.
        File.Delete(Path.Combine(data, "labels.csv"));
        var before = Directory.GetFiles(data, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var output = Path.Combine(temp.Path, "bench");

        var (exitCode, printed) = await InvokeAsync(
            "bench", "ssl", "--data", data, "--output", output, "--seeds", "1", "--labelled", "0.5,1",
            "--mse-epochs", "1", "--glcm-epochs", "1", "--finetune-epochs", "1", "--probe-epochs", "1", "--threads", "2", "--json");

        Assert.True(exitCode == 0, printed);
        var result = JsonDocument.Parse(printed).RootElement;
        Assert.Equal("the given labelled dataset", result.GetProperty("dataset").GetString());
        // Two labelled fractions swept over the same pretrained encoders: every arm twice, compared within each fraction.
        Assert.Equal(18, result.GetProperty("runs").GetArrayLength());
        Assert.Equal([0.5, 1.0], result.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("labelled").GetDouble()).Distinct());
        Assert.Equal(20, result.GetProperty("comparisons").GetArrayLength());
        Assert.Equal(before, Directory.GetFiles(data, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray());
        // Four classes of the texture family, every one in the test split; the test split is the same for both fractions.
        var finetune = await File.ReadAllLinesAsync(Path.Combine(output, "seed-0", "finetune-l0.5.csv"));
        var all = await File.ReadAllLinesAsync(Path.Combine(output, "seed-0", "finetune-l1.csv"));
        Assert.Equal(finetune.Where(l => l.EndsWith(",test", StringComparison.Ordinal)), all.Where(l => l.EndsWith(",test", StringComparison.Ordinal)));
        Assert.True(all.Count(l => !l.EndsWith(",test", StringComparison.Ordinal)) > finetune.Count(l => !l.EndsWith(",test", StringComparison.Ordinal)));
        Assert.Equal(4, finetune.Skip(1).Where(l => l.EndsWith(",test", StringComparison.Ordinal)).Select(l => l.Split(',')[1]).Distinct().Count());
    }

    [Fact]
    public async Task Bench_export_times_onnx_runtime_next_to_torchsharp()
    {
        var (exitCode, output) = await InvokeAsync("bench", "export", "--models", "tiny", "--batches", "1,2", "--repeats", "1", "--json", "--threads", "2");

        Assert.True(exitCode == 0, output);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(2, json.RootElement.GetArrayLength());
        Assert.All(json.RootElement.EnumerateArray(), row => Assert.True(row.GetProperty("onnxRuntimeMilliseconds").GetDouble() > 0));
    }

    [Fact]
    public async Task Retrain_runs_the_whole_pipeline_and_publishes_a_promoted_model()
    {
        using var temp = new TempFolder();
        var data = Path.Combine(temp.Path, "data");
        await InvokeAsync("synth", "-o", data, "--count", "8", "--size", "64");

        var (exitCode, output) = await InvokeAsync(
            "retrain", "--data", data, "--name", "gb", "--model", "tiny", "--mse-epochs", "1", "--glcm-epochs", "1", "--finetune-epochs", "1",
            "--batch", "8", "--root", temp.Path, "--json", "--threads", "2");

        Assert.True(exitCode == 0, output);
        using var json = JsonDocument.Parse(output);
        Assert.True(json.RootElement.GetProperty("published").GetProperty("promoted").GetBoolean());
        Assert.True(json.RootElement.GetProperty("parity").GetProperty("passed").GetBoolean());
        var (_, listed) = await InvokeAsync("models", "list", "--root", temp.Path, "--json");
        Assert.Equal("gb", JsonDocument.Parse(listed).RootElement[0].GetProperty("name").GetString());
    }

    [Fact]
    public void The_jobs_data_setting_becomes_a_blob_address()
    {
        // The job's variable, read through the settings every command reads.
        Environment.SetEnvironmentVariable("GLCMMAE_Training__Data", "training/dataset");
        try
        {
            Assert.Equal("az://training/dataset", GlcmMae.Trainer.Cli.Commands.RetrainCommand.DataFromSettings(GlcmMae.Trainer.Hosting.TrainerSettings.Read()));
        }
        finally
        {
            Environment.SetEnvironmentVariable("GLCMMAE_Training__Data", null);
        }
    }

    [Fact]
    public async Task Bench_serve_measures_the_pipeline_next_to_bare_onnx_runtime()
    {
        // A 2 ms batch window: in greedy mode a lone request runs inline, and on a starved CI machine requests can
        // arrive one at a time, so batches would not be sure to form. One batch worker and no idle session for the
        // same reason: a request that finds no other in progress would skip the batcher.
        var (exitCode, output) = await InvokeAsync("bench", "serve", "--models", "tiny", "--concurrency", "1,4", "--seconds", "0.3", "--max-batch", "4", "--max-delay-ms", "2", "--scan-size", "128", "--scan-format", "dicom-us", "--batch-workers", "1", "--idle-intra-op-threads", "0", "--json");

        Assert.True(exitCode == 0, output);
        using var json = JsonDocument.Parse(output);
        var rows = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(4, rows.Length);
        Assert.All(rows, row => Assert.Equal((128, "dicom-us"), (row.GetProperty("scanSize").GetInt32(), row.GetProperty("scanFormat").GetString())));
        Assert.All(rows, row => Assert.Equal(("configured", 1, false), (row.GetProperty("threads").GetProperty("profile").GetString(), row.GetProperty("threads").GetProperty("batchWorkers").GetInt32(), row.GetProperty("threads").GetProperty("idleSession").GetBoolean())));
        Assert.All(rows, row => Assert.True(row.GetProperty("scansPerSecond").GetDouble() > 0 && row.GetProperty("bareImagesPerSecond").GetDouble() > 0 && row.GetProperty("bareDefaultsImagesPerSecond").GetDouble() > 0));
        // Every scan's stages are accounted for: the parts never exceed the whole.
        Assert.All(rows, row =>
        {
            var stages = row.GetProperty("meanStages");
            var parts = new[] { "read", "decode", "preprocess", "queue", "inference" }.Sum(name => stages.GetProperty(name).GetDouble());
            Assert.True(stages.GetProperty("decode").GetDouble() > 0 && parts <= stages.GetProperty("total").GetDouble() + 1e-6, stages.ToString());
        });
        Assert.Contains(rows, row => row.GetProperty("microBatching").GetBoolean() && row.GetProperty("meanBatch").GetDouble() > 1);
        // Interleaved rounds; the fraction reported is their median.
        Assert.All(rows, row =>
        {
            var fractions = row.GetProperty("roundFractions").EnumerateArray().Select(f => f.GetDouble()).Order().ToArray();
            Assert.True(fractions.Length >= 3 && fractions.All(f => f > 0));
            Assert.Equal(fractions[fractions.Length / 2], row.GetProperty("sliceFraction").GetDouble());
            Assert.Equal(fractions[fractions.Length / 2], row.GetProperty("fractionOfBare").GetDouble());
            // Without an idle session of ONNX Runtime's defaults there is no bare session to pair requests with.
            Assert.Equal(JsonValueKind.Null, row.GetProperty("pairedFractions").ValueKind);
        });
    }

    [Fact]
    public async Task Bench_serve_pairs_lone_requests_with_bare_runs_on_the_session_that_serves_them()
    {
        var (exitCode, output) = await InvokeAsync("bench", "serve", "--models", "tiny", "--concurrency", "1,2", "--seconds", "0.3", "--json");

        Assert.True(exitCode == 0, output);
        using var json = JsonDocument.Parse(output);
        var rows = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(4, rows.Length);
        Assert.All(rows, row =>
        {
            var slices = row.GetProperty("roundFractions").EnumerateArray().Select(f => f.GetDouble()).Order().ToArray();
            Assert.Equal(slices[slices.Length / 2], row.GetProperty("sliceFraction").GetDouble());
            if (row.GetProperty("concurrency").GetInt32() != 1)
            {
                Assert.Equal(JsonValueKind.Null, row.GetProperty("pairedFractions").ValueKind);
                Assert.Equal(slices[slices.Length / 2], row.GetProperty("fractionOfBare").GetDouble());
                return;
            }

            // The automatic CPU profile serves a lone request on its idle session: the pairs are the headline figure.
            Assert.True(row.GetProperty("threads").GetProperty("idleSession").GetBoolean());
            var paired = row.GetProperty("pairedFractions").EnumerateArray().Select(f => f.GetDouble()).Order().ToArray();
            Assert.True(paired.Length >= 3 && paired.All(f => f is > 0 and < 10), string.Join(", ", paired));
            Assert.Equal(paired[paired.Length / 2], row.GetProperty("fractionOfBare").GetDouble());
        });
    }

    [Fact]
    public async Task Bench_serve_refuses_a_negative_scan_size()
    {
        var (exitCode, output) = await InvokeAsync("bench", "serve", "--scan-size", "-1");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--scan-size must be between 0", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> InvokeAsync(params string[] args)
    {
        // Parse errors go to the error writer; these tests look at everything the command printed.
        var (exitCode, output, error) = await CliInvoker.InvokeAsync(args);
        return (exitCode, output + error);
    }
}
