using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Serving;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GlcmMae.Shared.Tests.Serving;

public sealed class ServingSettingsTests
{
    private static IOptions<ServingSettings> Bind(string store, string messaging)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Serving:ModelStore"] = store,
            ["Serving:Messaging"] = messaging,
        }).Build();
        return new ServiceCollection().AddLogging().AddScanServing(configuration).BuildServiceProvider().GetRequiredService<IOptions<ServingSettings>>();
    }

    [Fact]
    public void The_documented_lower_case_values_bind_to_the_enums()
    {
        var settings = Bind("local", "file").Value;

        Assert.Equal((ModelStoreKind.Local, OutcomeTransport.File), (settings.ModelStore, settings.Messaging));
        Assert.Equal((ModelStoreKind.Azure, OutcomeTransport.ServiceBus), (Bind("Azure", "servicebus").Value.ModelStore, Bind("Azure", "servicebus").Value.Messaging));
    }

    [Fact]
    public void An_unknown_value_is_refused_with_the_setting_it_came_from()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Bind("blob", "file").Value);

        Assert.Contains("Serving:ModelStore", error.Message, StringComparison.Ordinal);
    }
}
