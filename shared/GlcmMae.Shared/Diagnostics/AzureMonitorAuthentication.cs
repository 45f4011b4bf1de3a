namespace GlcmMae.Shared.Diagnostics;

/// <summary>How the Azure Monitor exporter authenticates to Application Insights.</summary>
public enum AzureMonitorAuthentication
{
    /// <summary>Entra ID with the managed identity (local authentication is disabled on the deployed Application Insights).</summary>
    ManagedIdentity,

    /// <summary>The connection string's instrumentation key alone (a resource with local authentication on, or a local collector).</summary>
    ConnectionString,
}
