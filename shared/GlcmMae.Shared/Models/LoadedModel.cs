namespace GlcmMae.Shared.Models;

/// <summary>A model version read from the registry, its ONNX bytes verified against the manifest's SHA-256.</summary>
public sealed record LoadedModel(ModelManifest Manifest, byte[] Onnx);
