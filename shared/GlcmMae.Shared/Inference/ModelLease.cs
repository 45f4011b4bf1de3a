namespace GlcmMae.Shared.Inference;

/// <summary>Holds a model for one request: it stays loaded until the lease is disposed, even if a newer version is swapped in.</summary>
public readonly struct ModelLease : IDisposable
{
    internal ModelLease(ServingModel model) => Model = model;

    /// <summary>The leased model.</summary>
    public ServingModel Model { get; }

    /// <inheritdoc />
    public void Dispose() => Model?.Release();
}
