using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GlcmMae.Infrastructure.Tests;

/// <summary>The rules a cloud security review checks, enforced on the compiled ARM JSON.</summary>
public sealed partial class SecurityPolicyTests(CompiledTemplate compiled) : IClassFixture<CompiledTemplate>
{
    // Least-privilege data-plane roles only; Owner, Contributor and the like must never appear.
    private static readonly HashSet<string> AllowedRoles =
    [
        "7f951dda-4ed3-4680-a7ca-43fe172d538d", // AcrPull
        "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", // Storage Blob Data Reader
        "ba92f5b4-2d11-453d-a403-e96b0029c9fe", // Storage Blob Data Contributor
        "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner (Functions host storage, on its two containers)
        "974c5e8b-45b9-4653-ba55-5f855dd0fb88", // Storage Queue Data Contributor (the trigger's queue and its poison queue)
        "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a", // Storage Queue Data Message Sender
        "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39", // Azure Service Bus Data Sender
        "3913510d-42f4-4e42-8a64-420c390055eb", // Monitoring Metrics Publisher (telemetry with Entra ID, on Application Insights)
        "4633458b-17de-408a-b874-0445c86b69e6", // Key Vault Secrets User (the privacy key, on the vault)
        "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // Storage Table Data Contributor (study results, on the studies table)
    ];

    private static string? Text(JsonNode? node) => node?.GetValue<string>();

    private static JsonObject Properties((JsonObject Resource, JsonObject Template) r) => r.Resource["properties"]!.AsObject();

    [Fact]
    public void Storage_accounts_require_https_tls12_and_deny_public_blob_access()
    {
        var accounts = compiled.OfType("Microsoft.Storage/storageAccounts").ToArray();

        Assert.Single(accounts);
        foreach (var account in accounts)
        {
            var properties = Properties(account);
            Assert.True(properties["supportsHttpsTrafficOnly"]!.GetValue<bool>());
            Assert.Equal("TLS1_2", Text(properties["minimumTlsVersion"]));
            Assert.False(properties["allowBlobPublicAccess"]!.GetValue<bool>());
        }

        Assert.All(compiled.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"), c => Assert.Equal("None", Text(Properties(c)["publicAccess"])));
    }

    [Fact]
    public void Shared_keys_and_service_bus_local_auth_are_off_in_production()
    {
        var main = compiled.Main;
        Assert.Equal("[equals(parameters('environmentName'), 'prod')]", Text(main["variables"]!["isProduction"]));
        Assert.Equal("[not(variables('isProduction'))]", Text(compiled.Module("storage")["properties"]!["parameters"]!["allowSharedKeyAccess"]!["value"]));
        Assert.Equal("[variables('isProduction')]", Text(compiled.Module("servicebus")["properties"]!["parameters"]!["disableLocalAuth"]!["value"]));
        Assert.Equal("prod", Text(compiled.Parameters["main.prod.bicepparam"]["environmentName"]!["value"]));
    }

    [Fact]
    public void Models_are_versioned_and_soft_deleted()
    {
        var blobService = Properties(compiled.OfType("Microsoft.Storage/storageAccounts/blobServices").Single());

        Assert.True(blobService["isVersioningEnabled"]!.GetValue<bool>());
        Assert.True(blobService["deleteRetentionPolicy"]!["enabled"]!.GetValue<bool>());
        Assert.True(blobService["containerDeleteRetentionPolicy"]!["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public void No_output_or_parameter_carries_a_secret()
    {
        foreach (var (resource, template) in compiled.Resources.Prepend((compiled.Main, compiled.Main)))
        {
            var scope = resource == compiled.Main ? compiled.Main : template;
            // Flags (allowSharedKeyAccess: bool) may mention keys; values that could hold one may not.
            foreach (var (name, output) in scope["outputs"]?.AsObject() ?? [])
            {
                if (Text(output!["type"]) is not "bool" and not "int")
                {
                    Assert.DoesNotMatch(SecretName(), name);
                }

                Assert.DoesNotMatch(SecretFunction(), output.ToJsonString());
            }

            foreach (var (name, parameter) in scope["parameters"]?.AsObject() ?? [])
            {
                var type = Text(parameter!["type"])?.ToLowerInvariant();
                Assert.NotEqual("securestring", type);
                Assert.NotEqual("secureobject", type);
                if (type is not "bool" and not "int")
                {
                    Assert.DoesNotMatch(SecretName(), name);
                }
            }
        }
    }

    [Fact]
    public void Every_role_assignment_uses_a_known_least_privilege_role()
    {
        var assignments = compiled.OfType("Microsoft.Authorization/roleAssignments").ToArray();

        Assert.NotEmpty(assignments);
        foreach (var (resource, template) in assignments)
        {
            var expression = Text(resource["properties"]!["roleDefinitionId"])!;
            var match = RoleReference().Match(expression);
            Assert.True(match.Success, $"role assignment does not use the roles table: {expression}");
            var roleId = Text(Variable(template, "roles")[match.Groups["name"].Value])!;
            Assert.Contains(roleId, AllowedRoles);
            Assert.Equal("ServicePrincipal", Text(resource["properties"]!["principalType"]));
        }
    }

    [Fact]
    public void Each_identity_holds_exactly_the_documented_roles_on_the_narrowest_scope_that_works()
    {
        // Who, which role, on what: the whole list, so that a broader scope or an extra role fails as surely as a missing one.
        (string Principal, string Role, string Scope)[] expected =
        [
            ("functions", "storageBlobDataReader", "containers/scans"),
            ("functions", "storageBlobDataReader", "containers/models"),
            ("functions", "storageBlobDataContributor", "containers/results"),
            ("functions", "keyVaultSecretsUser", "vaults"),
            ("functions", "storageQueueDataContributor", "queues/scan-events"),
            ("functions", "storageQueueDataContributor", "queues/scan-events-poison"),
            ("functions", "storageBlobDataOwner", "containers/azure-webjobs-hosts"),
            ("functions", "storageBlobDataOwner", "containers/azure-webjobs-secrets"),
            ("functions", "serviceBusDataSender", "topics/scan-results"),
            ("functions", "serviceBusDataSender", "topics/scan-errors"),
            ("functions", "serviceBusDataSender", "topics/study-results"),
            ("functions", "serviceBusDataSender", "topics/fhir-results"),
            ("functions", "storageTableDataContributor", "tables/studies"),
            ("functions", "acrPull", "registries"),
            ("functions", "monitoringMetricsPublisher", "components"),
            ("trainer", "monitoringMetricsPublisher", "components"),
            ("trainer", "storageBlobDataReader", "containers/training"),
            ("trainer", "storageBlobDataContributor", "containers/models"),
            ("trainer", "storageBlobDataContributor", "containers/runs"),
            ("trainer", "serviceBusDataSender", "topics/model-events"),
            ("trainer", "acrPull", "registries"),
            ("event grid", "storageQueueDataMessageSender", "queues/{queueName}"),
            ("event grid", "storageBlobDataContributor", "containers/{deadLetterContainerName}"),
        ];

        var actual = compiled.OfType("Microsoft.Authorization/roleAssignments").Select(a =>
        {
            var properties = a.Resource["properties"]!;
            var principal = Text(properties["principalId"])!;
            var who = principal.Contains("functionsPrincipalId", StringComparison.Ordinal) ? "functions"
                : principal.Contains("trainerPrincipalId", StringComparison.Ordinal) ? "trainer"
                : principal.Contains("Microsoft.EventGrid/systemTopics", StringComparison.Ordinal) ? "event grid"
                : principal;
            return (who, RoleReference().Match(Text(properties["roleDefinitionId"])!).Groups["name"].Value, ScopeOf(Text(a.Resource["scope"])!));
        });

        Assert.Equal(expected.Order(), actual.Order());
    }

    /// <summary>"containers/scans" for resourceId('.../blobServices/containers', account, 'default', 'scans'); parameters show as {name}.</summary>
    private static string ScopeOf(string expression)
    {
        var match = ScopeReference().Match(expression);
        Assert.True(match.Success, $"role assignment scope is not a resourceId: {expression}");
        var type = match.Groups["type"].Value.Split('/')[^1];
        var last = ScopeArgument().Matches(match.Groups["arguments"].Value).Select(m => m.Groups["literal"].Success ? m.Groups["literal"].Value : "{" + m.Groups["parameter"].Value + "}").ToArray();
        var name = last.Length > 1 ? last[^1] : null;
        return name is null or "default" ? type : $"{type}/{name}";
    }

    [GeneratedRegex(@"resourceId\('(?<type>[^']+)'(?<arguments>.*)\)\]$")]
    private static partial Regex ScopeReference();

    [GeneratedRegex(@"parameters\('(?<parameter>[^']+)'\)|'(?<literal>[^']*)'")]
    private static partial Regex ScopeArgument();

    [Fact]
    public void Functions_app_and_trainer_jobs_run_on_the_gpu_workload_profile()
    {
        var environment = compiled.OfType("Microsoft.App/managedEnvironments").Single();
        var profiles = Properties(environment)["workloadProfiles"]!.AsArray();
        var gpu = profiles.Single(p => Text(p!["workloadProfileType"]) == "[parameters('gpuProfileType')]")!;
        var allowed = environment.Template["parameters"]!["gpuProfileType"]!["allowedValues"]!.AsArray().Select(Text);
        Assert.All(allowed, value => Assert.StartsWith("Consumption-GPU-", value, StringComparison.Ordinal));
        var gpuName = Text(gpu["name"]);
        Assert.Equal("[variables('gpuProfileName')]", gpuName);

        var workloads = compiled.OfType("Microsoft.App/containerApps").Concat(compiled.OfType("Microsoft.App/jobs")).ToArray();
        Assert.Equal(3, workloads.Length);
        Assert.All(workloads, w => Assert.Equal(gpuName, Text(Properties(w)["workloadProfileName"])));
    }

    [Fact]
    public void The_functions_app_is_not_on_the_internet_unless_asked_and_no_environment_asks()
    {
        var app = compiled.OfType("Microsoft.App/containerApps").Single();

        Assert.Equal("[parameters('functionsExternalIngress')]", Text(Properties(app)["configuration"]!["ingress"]!["external"]));
        Assert.False(compiled.Main["parameters"]!["functionsExternalIngress"]!["defaultValue"]!.GetValue<bool>());
        Assert.All(compiled.Parameters.Values, p => Assert.Null(p["functionsExternalIngress"]));
    }

    [Fact]
    public void The_trainer_jobs_are_told_where_to_send_telemetry_and_as_whom_in_the_settings_they_read()
    {
        // The trainer host reads GLCMMAE_-prefixed settings only, so the unprefixed APPLICATIONINSIGHTS_* ones alone would leave it silent.
        var jobs = compiled.OfType("Microsoft.App/jobs").ToArray();

        Assert.NotEmpty(jobs);
        Assert.All(jobs, job =>
        {
            var settings = job.Resource["properties"]!.ToJsonString();
            Assert.Contains("GLCMMAE_Telemetry__AzureMonitorConnectionString", settings, StringComparison.Ordinal);
            Assert.Contains("GLCMMAE_Telemetry__ManagedIdentityClientId", settings, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Functions_app_is_a_container_apps_function_app_with_identity_based_storage()
    {
        var app = compiled.OfType("Microsoft.App/containerApps").Single();
        Assert.Equal("functionapp", Text(app.Resource["kind"]));
        Assert.Equal("UserAssigned", Text(app.Resource["identity"]!["type"]));
        var settings = compiled.Module("containerapps")["properties"]!["template"]!.ToJsonString();
        Assert.Contains("FUNCTIONS_WORKER_RUNTIME", settings, StringComparison.Ordinal);
        Assert.Contains("dotnet-isolated", settings, StringComparison.Ordinal);
        Assert.Contains("AzureWebJobsStorage__credential", settings, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey=", settings, StringComparison.Ordinal);
        Assert.DoesNotContain("SharedAccessKey", settings, StringComparison.Ordinal);
        Assert.All(Properties(app)["configuration"]!["registries"]!.AsArray(), r => Assert.NotNull(r!["identity"]));
    }

    [Fact]
    public void Trainer_schedule_comes_from_the_cron_parameter()
    {
        var scheduled = compiled.OfType("Microsoft.App/jobs").Single(j => Text(Properties(j)["configuration"]!["triggerType"]) == "Schedule");
        var manual = compiled.OfType("Microsoft.App/jobs").Single(j => Text(Properties(j)["configuration"]!["triggerType"]) == "Manual");

        Assert.Equal("[parameters('trainerCron')]", Text(Properties(scheduled)["configuration"]!["scheduleTriggerConfig"]!["cronExpression"]));
        Assert.Equal("[parameters('trainerCron')]", Text(compiled.Module("containerapps")["properties"]!["parameters"]!["trainerCron"]!["value"]));
        Assert.NotNull(Properties(manual)["configuration"]!["manualTriggerConfig"]);
        Assert.All(new[] { scheduled, manual }, j => Assert.Equal("[parameters('trainerTimeoutSeconds')]", Text(Properties(j)["configuration"]!["replicaTimeout"])));
    }

    [Fact]
    public void Blob_created_events_under_scans_go_to_the_queue_with_identity_delivery_and_dead_lettering()
    {
        var subscription = Properties(compiled.OfType("Microsoft.EventGrid/systemTopics/eventSubscriptions").Single());

        Assert.Equal("/blobServices/default/containers/scans/", Text(subscription["filter"]!["subjectBeginsWith"]));
        Assert.Equal(["Microsoft.Storage.BlobCreated"], subscription["filter"]!["includedEventTypes"]!.AsArray().Select(Text));
        Assert.Equal("StorageQueue", Text(subscription["deliveryWithResourceIdentity"]!["destination"]!["endpointType"]));
        Assert.Equal("[parameters('queueName')]", Text(subscription["deliveryWithResourceIdentity"]!["destination"]!["properties"]!["queueName"]));
        Assert.NotNull(subscription["deadLetterWithResourceIdentity"]);
        Assert.NotNull(subscription["retryPolicy"]);
    }

    [Fact]
    public void Service_bus_drops_duplicates_dead_letters_expired_messages_and_filters_alerts()
    {
        var ns = Properties(compiled.OfType("Microsoft.ServiceBus/namespaces").Single());
        Assert.Equal("1.2", Text(ns["minimumTlsVersion"]));
        var topics = compiled.OfType("Microsoft.ServiceBus/namespaces/topics").ToArray();
        Assert.Equal(["fhir-results", "model-events", "scan-errors", "scan-results", "study-results"], topics.Select(t => Regex.Matches(Text(t.Resource["name"])!, "'([a-z-]+)'")[^1].Groups[1].Value).Order());
        Assert.All(topics, t => Assert.True(Properties(t)["requiresDuplicateDetection"]!.GetValue<bool>()));
        Assert.All(compiled.OfType("Microsoft.ServiceBus/namespaces/topics/subscriptions"), s => Assert.True(Properties(s)["deadLetteringOnMessageExpiration"]!.GetValue<bool>()));
        var rule = Properties(compiled.OfType("Microsoft.ServiceBus/namespaces/topics/subscriptions/rules").Single());
        Assert.Equal("label = 'malignant'", Text(rule["sqlFilter"]!["sqlExpression"]));
    }

    [Fact]
    public void The_functions_keep_study_results_in_the_deployed_studies_table()
    {
        var app = compiled.OfType("Microsoft.App/containerApps").Single();
        var settings = Text(Properties(app)["template"]!["containers"]![0]!["env"])!;

        Assert.Contains("'GLCMMAE_Studies__Store', 'value', 'Table'", settings, StringComparison.Ordinal);
        Assert.Contains("GLCMMAE_Storage__TableServiceUri", settings, StringComparison.Ordinal);
        Assert.Contains("GLCMMAE_Studies__QuietPeriodSeconds", settings, StringComparison.Ordinal);
        Assert.Single(compiled.OfType("Microsoft.Storage/storageAccounts/tableServices/tables"), t => Text(t.Resource["name"])!.Contains("'studies'", StringComparison.Ordinal));
    }

    [Fact]
    public void Explanations_are_off_unless_asked_and_go_to_their_own_private_container()
    {
        var app = compiled.OfType("Microsoft.App/containerApps").Single();
        var settings = Text(Properties(app)["template"]!["containers"]![0]!["env"])!;

        Assert.Contains("GLCMMAE_Inference__Explain", settings, StringComparison.Ordinal);
        Assert.Contains("string(parameters('functionsExplain'))", settings, StringComparison.Ordinal);
        Assert.False(compiled.Main["parameters"]!["functionsExplain"]!["defaultValue"]!.GetValue<bool>());
        var results = compiled.OfType("Microsoft.Storage/storageAccounts/blobServices/containers").Single(c => Text(c.Resource["name"])!.Contains("'results'", StringComparison.Ordinal));
        Assert.Equal("None", Text(Properties(results)["publicAccess"]));
    }

    [Fact]
    public void Production_pseudonymises_with_a_key_the_app_reads_from_key_vault_and_no_template_holds()
    {
        Assert.Equal("Pseudonymise", Text(compiled.Parameters["main.prod.bicepparam"]["privacyMode"]!["value"]));
        Assert.Equal("Off", Text(compiled.Main["parameters"]!["privacyMode"]!["defaultValue"]));
        var app = Properties(compiled.OfType("Microsoft.App/containerApps").Single());
        var secrets = Text(app["configuration"]!["secrets"])!;
        Assert.Contains("'keyVaultUrl', parameters('privacyVaultItemUri')", secrets, StringComparison.Ordinal);
        Assert.Contains("'identity', parameters('functionsIdentityId')", secrets, StringComparison.Ordinal);
        var settings = Text(app["template"]!["containers"]![0]!["env"])!;
        Assert.Contains("'GLCMMAE_Privacy__Key', 'secretRef', 'privacy-key'", settings, StringComparison.Ordinal);
        Assert.Contains("GLCMMAE_Privacy__Mode", settings, StringComparison.Ordinal);
        Assert.Contains("secrets/privacy-key", compiled.Module("containerapps")["properties"]!["parameters"]!["privacyVaultItemUri"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Container_registry_has_no_admin_user()
    {
        Assert.False(Properties(compiled.OfType("Microsoft.ContainerRegistry/registries").Single())["adminUserEnabled"]!.GetValue<bool>());
    }

    private static JsonObject Variable(JsonObject template, string name)
    {
        // loadJsonContent compiles to a hidden variable ('$fxv#0') that the named one refers to.
        var node = template["variables"]![name]!;
        while (node is JsonValue value && VariableReference().Match(value.GetValue<string>()) is { Success: true } reference)
        {
            node = template["variables"]![reference.Groups["name"].Value]!;
        }

        return node.AsObject();
    }

    [GeneratedRegex(@"^\[variables\('(?<name>[^']+)'\)\]$")]
    private static partial Regex VariableReference();

    [GeneratedRegex("(?i)(password|secret|key|sas|connectionstring|token)")]
    private static partial Regex SecretName();

    [GeneratedRegex("(?i)list(keys|connectionstrings|secrets|accountsas|servicesas)")]
    private static partial Regex SecretFunction();

    [GeneratedRegex(@"variables\('roles'\)\.(?<name>\w+)")]
    private static partial Regex RoleReference();
}
