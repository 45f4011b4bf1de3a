using GlcmMae.Shared.Inference;

namespace GlcmMae.Shared.Tests.Inference;

public sealed class ServingThreadsTests
{
    private const long Gib = 1L << 30;
    private const long SmallModel = 7_000_000;
    private const long BaseModel = 343_000_000;

    private static ServingOptions Unset() => new() { ModelName = "demo" };

    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    public void A_cpu_with_several_cores_and_room_for_a_second_session_runs_a_request_per_core_and_a_lone_one_on_all(int cores)
    {
        var threads = ServingThreads.Resolve(Unset(), onGpu: false, cores, SmallModel, 8 * Gib);

        Assert.Equal(new ServingThreads(1, true, 0, cores, false, 4, "cpu-cores"), threads);
    }

    [Fact]
    public void A_single_core_or_a_model_too_large_for_two_sessions_keeps_one_session_over_all_cores()
    {
        Assert.Equal(new ServingThreads(0, false, 0, 1, false, 4, "cpu-shared"), ServingThreads.Resolve(Unset(), false, 1, SmallModel, 8 * Gib));

        // base takes 343 MB: a second session needs 8 x that (2.7 GB) of memory.
        Assert.Equal(new ServingThreads(0, false, 0, 1, false, 4, "cpu-shared"), ServingThreads.Resolve(Unset(), false, 4, BaseModel, 2 * Gib));
        Assert.Equal("cpu-cores", ServingThreads.Resolve(Unset(), false, 4, BaseModel, 3 * Gib).Profile);
        Assert.Equal("cpu-cores", ServingThreads.Resolve(Unset(), false, 4, BaseModel, BaseModel * ServingThreads.MemoryShareDivisor).Profile);
        Assert.Equal("cpu-shared", ServingThreads.Resolve(Unset(), false, 4, BaseModel, (BaseModel * ServingThreads.MemoryShareDivisor) - 1).Profile);
    }

    [Fact]
    public void A_gpu_runs_one_session_with_micro_batching_and_no_idle_session()
    {
        Assert.Equal(new ServingThreads(0, false, 0, 1, true, 16, "gpu"), ServingThreads.Resolve(Unset(), onGpu: true, 16, BaseModel, 128 * Gib));

        var idleAsked = Unset() with { IdleIntraOpThreads = 4, MicroBatching = false };
        Assert.Equal(new ServingThreads(0, false, 0, 1, false, 16, "configured"), ServingThreads.Resolve(idleAsked, true, 16, BaseModel, 128 * Gib));
    }

    [Fact]
    public void Every_value_set_in_the_options_is_kept_and_the_rest_follow_from_it()
    {
        // No idle session asked for: the shared session of before, whatever the machine.
        Assert.Equal(new ServingThreads(0, false, 0, 1, false, 4, "configured"), ServingThreads.Resolve(Unset() with { IdleIntraOpThreads = 0 }, false, 8, SmallModel, 8 * Gib));

        // One thread per request asked for: the workers follow the cores, the idle session takes ONNX Runtime's threads.
        Assert.Equal(new ServingThreads(1, true, 0, 8, false, 4, "configured"), ServingThreads.Resolve(Unset() with { IntraOpThreads = 1 }, false, 8, SmallModel, 8 * Gib));

        // Two threads per run on 8 cores: four workers; a lone request still gets all cores.
        Assert.Equal(new ServingThreads(2, true, 0, 4, true, 4, "configured"), ServingThreads.Resolve(Unset() with { IntraOpThreads = 2, MicroBatching = true }, false, 8, SmallModel, 8 * Gib));

        // As many threads as cores: a second session could not add any.
        Assert.Equal(new ServingThreads(8, false, 0, 1, false, 4, "configured"), ServingThreads.Resolve(Unset() with { IntraOpThreads = 8 }, false, 8, SmallModel, 8 * Gib));

        // Explicit values win even where the automatic rule would not choose them.
        var all = Unset() with { IntraOpThreads = 3, IdleIntraOpThreads = 6, BatchWorkers = 5, MicroBatching = true, MaxBatchSize = 8 };
        Assert.Equal(new ServingThreads(3, true, 6, 5, true, 8, "configured"), ServingThreads.Resolve(all, false, 1, BaseModel, Gib));

        // The ONNX Runtime default asked for explicitly: no idle session, one worker.
        Assert.Equal(new ServingThreads(0, false, 0, 1, false, 4, "configured"), ServingThreads.Resolve(Unset() with { IntraOpThreads = 0 }, false, 8, SmallModel, 8 * Gib));
    }

    [Fact]
    public void Micro_batches_are_small_on_a_cpu_and_large_on_a_gpu_unless_configured()
    {
        Assert.Equal(ServingThreads.CpuMaxBatchSize, ServingThreads.Resolve(Unset() with { MicroBatching = true }, false, 8, SmallModel, 8 * Gib).MaxBatchSize);
        Assert.Equal(ServingThreads.GpuMaxBatchSize, ServingThreads.Resolve(Unset(), true, 8, SmallModel, 8 * Gib).MaxBatchSize);
        Assert.True(ServingThreads.CpuMaxBatchSize < ServingThreads.GpuMaxBatchSize);

        // A batch size alone is not a thread setting: the automatic profile stays.
        var cpu = ServingThreads.Resolve(Unset() with { MaxBatchSize = 32 }, false, 8, SmallModel, 8 * Gib);
        Assert.Equal((32, "cpu-cores"), (cpu.MaxBatchSize, cpu.Profile));
        var gpu = ServingThreads.Resolve(Unset() with { MaxBatchSize = 2 }, true, 8, SmallModel, 8 * Gib);
        Assert.Equal((2, "gpu"), (gpu.MaxBatchSize, gpu.Profile));
    }

    [Fact]
    public void The_description_names_the_profile_and_says_what_zero_means()
    {
        Assert.Equal("cpu-cores (intra-op 1, idle session ONNX Runtime's default, batch workers 2)", new ServingThreads(1, true, 0, 2, false, 4, "cpu-cores").Describe());
        Assert.Equal("configured (intra-op 1, idle session 4, batch workers 2)", new ServingThreads(1, true, 4, 2, false, 4, "configured").Describe());
        Assert.Equal("gpu (intra-op ONNX Runtime's default, idle session none, batch workers 1, micro-batches up to 16)", new ServingThreads(0, false, 0, 1, true, 16, "gpu").Describe());
    }
}
