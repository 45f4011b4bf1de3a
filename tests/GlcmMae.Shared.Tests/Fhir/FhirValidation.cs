using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace GlcmMae.Shared.Tests.Fhir;

/// <summary>The Firely validator over the R4 core specification (specification.zip from the data package, in the test output).</summary>
internal static class FhirValidation
{
    private static readonly Lazy<Validator> Shared = new(() =>
    {
        var source = new CachedResolver(ZipSource.CreateValidationSource());
        return new Validator(source, new LocalTerminologyService(source));
    });

    /// <summary>The issues of error or fatal severity, as "severity: text (location)".</summary>
    public static IReadOnlyList<string> Errors(Resource resource)
    {
        OperationOutcome outcome;
        lock (Shared)
        {
            outcome = Shared.Value.Validate(resource);
        }

        return [.. outcome.Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => $"{i.Severity}: {i.Details?.Text ?? i.Diagnostics} ({string.Join(", ", i.Expression ?? [])})")];
    }

    /// <summary>Every issue, for a failure message.</summary>
    public static IReadOnlyList<string> All(Resource resource)
    {
        lock (Shared)
        {
            return [.. Shared.Value.Validate(resource).Issue.Select(i => $"{i.Severity}: {i.Details?.Text ?? i.Diagnostics} ({string.Join(", ", i.Expression ?? [])})")];
        }
    }
}
