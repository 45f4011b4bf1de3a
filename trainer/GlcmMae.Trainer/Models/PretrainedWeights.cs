using System.Collections;
using System.Globalization;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Models;

/// <summary>Imports MAE/ViT weights from a PyTorch checkpoint (.pth) by parameter name, adapting RGB patch embeddings to grayscale.</summary>
internal static class PretrainedWeights
{
    private static readonly string[] FixedTables = ["pos_embed", "decoder_pos_embed"];

    /// <summary>Copies every name-and-shape match into the model and reports what matched, was adapted, skipped or missing.</summary>
    public static ImportReport Import(nn.Module model, string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"PyTorch checkpoint '{path}' does not exist.", path);
        }

        Hashtable root;
        try
        {
            root = PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (Exception exception) when (exception is InvalidDataException or NotSupportedException or InvalidOperationException or IOException)
        {
            throw new InvalidDataException($"'{path}' is not a PyTorch state-dict checkpoint TorchSharp.PyBridge can read (torch.save of a dict of tensors, zip format): {exception.Message}", exception);
        }

        var source = Unwrap(root);
        var target = model.state_dict();
        var matched = new List<string>();
        var adapted = new List<string>();
        var mismatched = new List<string>();
        var recomputed = new List<string>();
        using (torch.no_grad())
        {
            foreach (var (name, destination) in target)
            {
                if (!source.TryGetValue(name, out var tensor))
                {
                    continue;
                }

                if (FixedTables.Contains(name))
                {
                    // Fixed sine-cosine tables are rebuilt for this model's grid rather than copied.
                    recomputed.Add(name);
                    continue;
                }

                if (tensor.shape.SequenceEqual(destination.shape))
                {
                    destination.copy_(tensor.to(destination.dtype));
                    matched.Add(name);
                }
                else if (name == "patch_embed.proj.weight" && tensor.dim() == 4 && destination.shape[1] == 1 && tensor.shape[1] == 3
                    && tensor.shape[0] == destination.shape[0] && tensor.shape[2] == destination.shape[2] && tensor.shape[3] == destination.shape[3])
                {
                    // A grayscale image replicated to RGB gives the same activations as the RGB kernels summed.
                    destination.copy_(tensor.sum(1, keepdim: true).to(destination.dtype));
                    adapted.Add(name);
                }
                else
                {
                    mismatched.Add(string.Create(CultureInfo.InvariantCulture, $"{name} ({Shape(tensor)} vs {Shape(destination)})"));
                }
            }
        }

        var missing = target.Keys.Where(k => !source.ContainsKey(k)).ToArray();
        var unexpected = source.Keys.Where(k => !target.ContainsKey(k)).Order(StringComparer.Ordinal).ToArray();
        foreach (var tensor in source.Values)
        {
            tensor.Dispose();
        }

        if (matched.Count + adapted.Count == 0)
        {
            throw new InvalidDataException($"No parameter of '{path}' matches this model by name and shape; is it an MAE/ViT checkpoint of the same size?");
        }

        return new ImportReport(path, matched, adapted, mismatched, recomputed, missing, unexpected);
    }

    private static Dictionary<string, Tensor> Unwrap(Hashtable root)
    {
        // Official MAE checkpoints wrap the state dict as {"model": ...}; others use "state_dict" or none.
        IDictionary dictionary = root;
        foreach (var key in new[] { "model", "state_dict" })
        {
            if (root[key] is IDictionary inner)
            {
                dictionary = inner;
                break;
            }
        }

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in dictionary)
        {
            if (entry.Value is Tensor tensor && entry.Key is string name)
            {
                result[name.StartsWith("module.", StringComparison.Ordinal) ? name["module.".Length..] : name] = tensor;
            }
        }

        return result;
    }

    private static string Shape(Tensor tensor) => "[" + string.Join(", ", tensor.shape) + "]";
}

/// <summary>What an import copied and what it could not.</summary>
internal sealed record ImportReport(
    string Path,
    IReadOnlyList<string> Matched,
    IReadOnlyList<string> Adapted,
    IReadOnlyList<string> ShapeMismatched,
    IReadOnlyList<string> Recomputed,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected)
{
    /// <summary>One paragraph for logs.</summary>
    public string Summary => string.Create(
        CultureInfo.InvariantCulture,
        $"Imported {System.IO.Path.GetFileName(Path)}: {Matched.Count} tensors matched, {Adapted.Count} adapted (RGB patch embedding summed to 1 channel), {Recomputed.Count} fixed position tables recomputed, {ShapeMismatched.Count} shape mismatches{List(ShapeMismatched)}, {Missing.Count} missing in the checkpoint{List(Missing)}, {Unexpected.Count} unexpected{List(Unexpected)}.");

    private static string List(IReadOnlyList<string> names) => names.Count == 0 ? string.Empty : " (" + string.Join(", ", names.Take(8)) + (names.Count > 8 ? ", ..." : string.Empty) + ")";
}
