using System.Globalization;
using System.Text.Json;
using GlcmMae.Shared.Contracts;
using GlcmMae.Shared.Pipeline;

namespace GlcmMae.Shared.Messaging;

/// <summary>The transport-neutral form of a message: topic, id, subject, body and the properties subscriptions filter on.</summary>
public sealed record OutcomeMessage(string Topic, string MessageId, string Subject, byte[] Body, IReadOnlyDictionary<string, object> Properties, string? CorrelationId)
{
    /// <summary>Maps an outcome per the contract: Subject = label (or error code), properties label, modelName, modelVersion, modality, schemaVersion.</summary>
    public static OutcomeMessage From(ScanOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Result is { } result)
        {
            var properties = new Dictionary<string, object>
            {
                ["label"] = result.Prediction.Label,
                ["modelName"] = result.Model.Name,
                ["modelVersion"] = result.Model.Version,
                ["modality"] = result.Scan.Modality ?? string.Empty,
                ["schemaVersion"] = result.SchemaVersion,
            };
            if (result.Assessment?.Decision is { } decision)
            {
                // Subscriptions can route on the decision at the model's operating point, not only on the arg-max label.
                properties["decision"] = decision;
            }

            AddTraceParent(properties, outcome);
            return new OutcomeMessage(Topics.Results, result.ResultId, result.Prediction.Label, JsonSerializer.SerializeToUtf8Bytes(result, ContractJson.Options), properties, outcome.CorrelationId);
        }

        var error = outcome.Error!;
        var errorProperties = new Dictionary<string, object>
        {
            ["code"] = error.Code,
            ["modelVersion"] = error.ModelVersion ?? string.Empty,
            ["modality"] = error.Scan.Modality ?? string.Empty,
            ["schemaVersion"] = error.SchemaVersion.ToString(CultureInfo.InvariantCulture),
        };
        AddTraceParent(errorProperties, outcome);
        return new OutcomeMessage(Topics.Errors, error.ErrorId, error.Code, JsonSerializer.SerializeToUtf8Bytes(error, ContractJson.Options), errorProperties, outcome.CorrelationId);
    }

    /// <summary>
    /// Diagnostic-Id: the W3C trace context of the scan's activity, under the application property Service Bus clients and
    /// Application Insights read it from (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-end-to-end-tracing),
    /// so that a consumer's trace continues the scan's.
    /// </summary>
    private static void AddTraceParent(Dictionary<string, object> properties, ScanOutcome outcome)
    {
        if (outcome.TraceParent is { } traceParent)
        {
            properties["Diagnostic-Id"] = traceParent;
        }
    }
}
