using System.Text.Json.Nodes;

namespace GlcmMae.Infrastructure.Tests;

/// <summary>Network isolation as a review checks it on the compiled ARM JSON: production private, every data path through a private endpoint, firewalls closed.</summary>
public sealed class NetworkPolicyTests(CompiledTemplate compiled) : IClassFixture<CompiledTemplate>
{
    private static string? Text(JsonNode? node) => node?.GetValue<string>();

    private static JsonObject Properties((JsonObject Resource, JsonObject Template) r) => r.Resource["properties"]!.AsObject();

    // A module parameter is {"value": ...}, or one expression string where Bicep had to wrap a conditional reference.
    private string? ModuleParameter(string module, string name) => compiled.Module(module)["properties"]!["parameters"]![name] switch
    {
        JsonObject value => Text(value["value"]),
        var expression => Text(expression),
    };

    [Fact]
    public void Production_is_private_and_dev_stays_public_by_default()
    {
        Assert.Equal("private", Text(compiled.Parameters["main.prod.bicepparam"]["networkAccess"]!["value"]));
        Assert.Equal("public", Text(compiled.Main["parameters"]!["networkAccess"]!["defaultValue"]));
        Assert.Null(compiled.Parameters["main.dev.bicepparam"]["networkAccess"]);
        Assert.Equal("[equals(parameters('networkAccess'), 'private')]", Text(compiled.Main["variables"]!["isPrivate"]));
        Assert.Equal("[variables('isPrivate')]", Text(compiled.Module("network")["condition"]));
    }

    [Fact]
    public void Blob_queue_table_service_bus_registry_and_vault_each_get_a_private_endpoint_whose_dns_zone_is_linked_to_the_network()
    {
        var network = compiled.Module("network")["properties"]!["template"]!.AsObject();
        var endpoints = network["variables"]!["endpoints"]!.AsArray().Select(e => e!.AsObject()).ToList();

        Assert.Equal(
            ["blob:Microsoft.Storage/storageAccounts", "namespace:Microsoft.ServiceBus/namespaces", "queue:Microsoft.Storage/storageAccounts", "registry:Microsoft.ContainerRegistry/registries", "table:Microsoft.Storage/storageAccounts", "vault:Microsoft.KeyVault/vaults"],
            endpoints.Select(e => $"{Text(e["groupId"])}:{Text(e["type"])}").Order(StringComparer.Ordinal));
        Assert.All(endpoints, e => Assert.StartsWith("privatelink", Text(e["zone"])!.Replace("[format('", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal));
        var types = network["resources"]!.AsArray().Select(r => r!.AsObject()).ToDictionary(r => Text(r["type"])!, r => r);
        // One endpoint, one zone, one zone group and one network link per service (copy loops over the same list).
        foreach (var type in new[] { "Microsoft.Network/privateDnsZones", "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "Microsoft.Network/privateEndpoints", "Microsoft.Network/privateEndpoints/privateDnsZoneGroups" })
        {
            Assert.Equal("[length(variables('endpoints'))]", Text(types[type]["copy"]!["count"]));
        }

        Assert.Contains("privateLinkServiceId", types["Microsoft.Network/privateEndpoints"].ToJsonString(), StringComparison.Ordinal);
        Assert.False(types["Microsoft.Network/privateDnsZones/virtualNetworkLinks"]["properties"]!["registrationEnabled"]!.GetValue<bool>());
        var subnets = types["Microsoft.Network/virtualNetworks"]["properties"]!["subnets"]!.AsArray();
        var apps = subnets.Single(s => Text(s!["name"]) == "apps")!;
        Assert.Equal("Microsoft.App/environments", Text(apps["properties"]!["delegations"]![0]!["properties"]!["serviceName"]));
    }

    [Fact]
    public void A_private_deployment_closes_the_storage_service_bus_and_registry_firewalls()
    {
        Assert.Equal("[variables('isPrivate')]", ModuleParameter("storage", "denyPublicNetwork"));
        Assert.Equal("[variables('isPrivate')]", ModuleParameter("servicebus", "denyPublicNetwork"));
        Assert.Equal("[variables('isPrivate')]", ModuleParameter("registry", "denyPublicNetwork"));
        Assert.Equal("[variables('isPrivate')]", ModuleParameter("keyvault", "denyPublicNetwork"));
        var vault = Properties(compiled.OfType("Microsoft.KeyVault/vaults").Single());
        Assert.Equal("[if(parameters('denyPublicNetwork'), 'Deny', 'Allow')]", Text(vault["networkAcls"]!["defaultAction"]));
        Assert.True(vault["enableRbacAuthorization"]!.GetValue<bool>());
        // Private endpoints need Premium: a private deployment gets it whatever serviceBusSku says.
        Assert.Equal("[if(variables('isPrivate'), createObject('value', 'Premium'), createObject('value', parameters('serviceBusSku')))]", ModuleParameter("servicebus", "sku"));

        var storage = Properties(compiled.OfType("Microsoft.Storage/storageAccounts").Single());
        Assert.Equal("[if(parameters('denyPublicNetwork'), 'Deny', 'Allow')]", Text(storage["networkAcls"]!["defaultAction"]));
        // Event Grid delivers to the scan-events queue as a trusted service.
        Assert.Equal("AzureServices", Text(storage["networkAcls"]!["bypass"]));

        var bus = Properties(compiled.OfType("Microsoft.ServiceBus/namespaces").Single());
        Assert.Equal("[if(parameters('denyPublicNetwork'), 'Disabled', 'Enabled')]", Text(bus["publicNetworkAccess"]));
        var rules = compiled.OfType("Microsoft.ServiceBus/namespaces/networkRuleSets").Single();
        Assert.Equal("[parameters('denyPublicNetwork')]", Text(rules.Resource["condition"]));
        Assert.Equal("Deny", Text(Properties(rules)["defaultAction"]));
        Assert.Equal("Disabled", Text(Properties(rules)["publicNetworkAccess"]));

        var registry = compiled.OfType("Microsoft.ContainerRegistry/registries").Single();
        Assert.Equal("[if(parameters('denyPublicNetwork'), 'Premium', 'Standard')]", Text(registry.Resource["sku"]!["name"]));
        Assert.Contains("'Deny'", Text(Properties(registry)["networkRuleSet"]), StringComparison.Ordinal);
        Assert.Equal("AzureServices", Text(Properties(registry)["networkRuleBypassOptions"]));
        Assert.False(Properties(registry)["adminUserEnabled"]!.GetValue<bool>());
    }

    [Fact]
    public void A_private_environment_lives_in_the_network_with_internal_ingress_only()
    {
        var environment = Properties(compiled.OfType("Microsoft.App/managedEnvironments").Single());
        var vnet = Text(environment["vnetConfiguration"])!;

        Assert.Contains("parameters('infrastructureSubnetId')", vnet, StringComparison.Ordinal);
        Assert.Contains("'internal', true()", vnet, StringComparison.Ordinal);
        Assert.Contains("outputs.appsSubnetId.value", ModuleParameter("containerapps", "infrastructureSubnetId"), StringComparison.Ordinal);
    }
}
