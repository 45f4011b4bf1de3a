using GlcmMae.Trainer.Models;
using GlcmMae.Trainer.Torch;
using GlcmMae.Trainer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Tests.Models;

[Collection(TorchCollection.Name)]
public sealed class TransformerBlockTests
{
    [Fact]
    public void Forward_keeps_the_token_shape()
    {
        using var block = new TransformerBlock(dim: 32, heads: 4);
        using var input = torch.randn(2, 5, 32);

        using var output = block.forward(input);

        Assert.Equal(new long[] { 2, 5, 32 }, output.shape);
    }

    [Fact]
    public void Backward_gives_every_parameter_a_finite_nonzero_gradient()
    {
        torch.manual_seed(1);
        using var block = new TransformerBlock(dim: 32, heads: 4, dropPath: 0.0);
        using var input = torch.randn(2, 5, 32);

        using var loss = block.forward(input).square().mean();
        loss.backward();

        foreach (var (name, parameter) in block.named_parameters())
        {
            var grad = parameter.grad;
            Assert.True(grad is not null, $"{name} has no gradient");
            Assert.True(grad.isfinite().all().item<bool>(), $"{name} has a non-finite gradient");
            Assert.True(grad.abs().sum().item<float>() > 0, $"{name} has an all-zero gradient");
        }
    }

    [Fact]
    public void Parameter_names_follow_the_reference_vit_state_dict()
    {
        using var block = new TransformerBlock(dim: 16, heads: 2);

        var names = block.named_parameters().Select(p => p.name).ToHashSet();

        Assert.Contains("norm1.weight", names);
        Assert.Contains("attn.qkv.weight", names);
        Assert.Contains("attn.qkv.bias", names);
        Assert.Contains("attn.proj.weight", names);
        Assert.Contains("mlp.fc1.weight", names);
        Assert.Contains("mlp.fc2.bias", names);
        Assert.Contains("norm2.bias", names);
    }

    [Fact]
    public void Drop_path_is_the_identity_in_eval_mode()
    {
        using var dropPath = new DropPath(0.5);
        dropPath.eval();
        using var input = torch.randn(4, 3, 8);

        using var output = dropPath.forward(input);

        Assert.True(output.equal(input).all().item<bool>());
    }

    [Fact]
    public void Training_steps_reduce_the_loss_on_this_machine()
    {
        var result = RuntimeSelfCheck.Run(steps: 15);

        Assert.True(result.GradientsFinite);
        Assert.True(result.Passed, $"loss went {result.Losses[0]} -> {result.Losses[^1]}");
    }
}
