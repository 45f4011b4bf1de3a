using GlcmMae.Functions.Hosting;
using GlcmMae.Functions.Http;
using GlcmMae.Functions.Queue;
using GlcmMae.Shared.Hosting;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Serving;
using GlcmMae.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GlcmMae.Functions.Tests.Hosting;

public sealed class ServiceWiringTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task The_functions_resolve_from_settings_as_infra_and_local_development_give_them()
    {
        using var temp = new TempFolder();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Models:Name"] = "gallbladder",
            ["Inference:ExecutionProvider"] = "Cuda",
            ["Inference:MicroBatching"] = "true",
            ["Inference:MaxBatchSize"] = "4",
            ["Inference:RefreshSeconds"] = "5",
            ["Serving:ModelStore"] = "local",
            ["Serving:ModelsRoot"] = temp.File("models"),
            ["Serving:Messaging"] = "file",
            ["Serving:TopicsRoot"] = temp.File("topics"),
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddGlcmAzureClients(configuration).AddScanServing(configuration).AddSingleton<ClassifyHandler>().AddTransient<ClassifyScan>().AddTransient<Health>();

        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.NotNull(provider.GetRequiredService<ClassifyScan>());
        Assert.NotNull(provider.GetRequiredService<Health>());
        Assert.IsType<FileTopicPublisher>(provider.GetRequiredService<IOutcomePublisher>());
        var serving = provider.GetRequiredService<IOptions<ServingOptions>>().Value;
        Assert.Equal("gallbladder", serving.ModelName);
        Assert.Equal(ExecutionProviderChoice.Cuda, serving.ExecutionProvider);
        Assert.True(serving.MicroBatching);
        Assert.Equal(4, serving.MaxBatchSize);
        Assert.Equal(5, serving.RefreshSeconds);
    }

    [Theory]
    [InlineData("Inference:ExecutionProvider", "tpu")]
    [InlineData("Inference:MaxBatchSize", "0")]
    public void Invalid_settings_fail_at_start_with_the_setting_named(string setting, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [setting] = value,
            ["Serving:ModelStore"] = "local",
            ["Serving:Messaging"] = "file",
        }).Build();
        using var provider = new ServiceCollection().AddLogging().AddScanServing(configuration).BuildServiceProvider();

        // A value of the wrong kind fails binding (InvalidOperationException naming the path); one out of range fails validation.
        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IOptions<ServingOptions>>().Value);
        Assert.True(error is OptionsValidationException or InvalidOperationException, error.GetType().Name);
        Assert.Contains(setting.Split(':')[1], error.Message, StringComparison.Ordinal);
    }
}
