using Homelab.Kustomize;
using Homelab.Reconciler.Kubernetes;
using Homelab.Reconciler.Reconcile;
using Homelab.Reconciler.Source;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Homelab.Tests.Infrastructure;

/// <summary>A reconcile pipeline as the service builds one: a Git source in the state directory, the renderer with its default limits.</summary>
internal static class TestPipeline
{
    /// <summary>Options that follow <paramref name="path"/> of <paramref name="source"/>, in <paramref name="state"/> or a new state directory.</summary>
    public static ReconcileOptions Options(string source, string path = "clusters/test", string? state = null) =>
        new() { Source = source, Path = path, StateDirectory = state ?? Directory.CreateTempSubdirectory("homelab-state-").FullName };

    public static ReconcilePipeline Create(ReconcileOptions options, KubeApi? api, ILogger<ReconcilePipeline> logger) =>
        new(new GitSource(options.SourceOptions(), NullLogger<GitSource>.Instance), new KustomizeBuilder(BuildLimits.Default), api, options, logger);

    /// <summary>A pipeline following <c>clusters/test</c> of <paramref name="source"/> in a new state directory.</summary>
    public static ReconcilePipeline Create(string source, KubeApi? api, ILogger<ReconcilePipeline> logger) =>
        Create(Options(source), api, logger);
}
