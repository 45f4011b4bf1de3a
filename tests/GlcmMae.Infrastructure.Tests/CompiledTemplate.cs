using System.Text.Json.Nodes;

namespace GlcmMae.Infrastructure.Tests;

/// <summary>main.bicep compiled to ARM JSON once per test run, with helpers to walk its nested module deployments.</summary>
public sealed class CompiledTemplate : IAsyncLifetime
{
    /// <summary>The compiled main template.</summary>
    public JsonObject Main { get; private set; } = [];

    /// <summary>Every resource with the template (module) that declares it.</summary>
    public IReadOnlyList<(JsonObject Resource, JsonObject Template)> Resources { get; private set; } = [];

    /// <summary>The compiled parameter files: file name to parameter values.</summary>
    public IReadOnlyDictionary<string, JsonObject> Parameters { get; private set; } = new Dictionary<string, JsonObject>();

    public async Task InitializeAsync()
    {
        var (exitCode, output, error) = await BicepCli.RunAsync("build", "main.bicep", "--stdout");
        Assert.True(exitCode == 0, error);
        Main = JsonNode.Parse(output)!.AsObject();
        var all = new List<(JsonObject, JsonObject)>();
        Collect(Main, all);
        Resources = all;

        var parameters = new Dictionary<string, JsonObject>();
        foreach (var file in new[] { "main.bicepparam", "main.dev.bicepparam", "main.prod.bicepparam" })
        {
            var built = await BicepCli.RunAsync("build-params", file, "--stdout");
            Assert.True(built.ExitCode == 0, built.Error);
            var parametersJson = JsonNode.Parse(JsonNode.Parse(built.Output)!["parametersJson"]!.GetValue<string>())!;
            parameters[file] = parametersJson["parameters"]!.AsObject();
        }

        Parameters = parameters;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Resources of one type.</summary>
    public IEnumerable<(JsonObject Resource, JsonObject Template)> OfType(string type) =>
        Resources.Where(r => string.Equals(r.Resource["type"]?.GetValue<string>(), type, StringComparison.OrdinalIgnoreCase));

    /// <summary>The nested deployment (module) with this name in main.</summary>
    public JsonObject Module(string name) =>
        Main["resources"]!.AsArray().Select(r => r!.AsObject())
            .Single(r => r["type"]!.GetValue<string>() == "Microsoft.Resources/deployments" && r["name"]!.GetValue<string>() == name);

    private static void Collect(JsonObject template, List<(JsonObject, JsonObject)> into)
    {
        foreach (var node in template["resources"]!.AsArray())
        {
            var resource = node!.AsObject();
            into.Add((resource, template));
            if (resource["type"]!.GetValue<string>() == "Microsoft.Resources/deployments")
            {
                Collect(resource["properties"]!["template"]!.AsObject(), into);
            }
        }
    }
}
