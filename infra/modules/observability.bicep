// What an operator sees: resource logs to Log Analytics, and alerts on the failures that lose or stall scans.
// Diagnostic settings: https://learn.microsoft.com/azure/azure-monitor/essentials/diagnostic-settings
// Log alerts: https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-create-log-alert-rule
@description('Azure region.')
param location string

@description('Prefix for resource names.')
param namePrefix string

@description('Tags applied to every resource.')
param tags object

@description('Log Analytics workspace the resource logs go to.')
param workspaceName string

@description('Application Insights component the apps send traces and metrics to.')
param appInsightsName string

@description('Storage account holding scans, models and the event queues.')
param storageAccountName string

@description('Service Bus namespace of the result topics.')
param serviceBusNamespaceName string

@description('Container registry.')
param registryName string

@description('Name of the poison queue of scan-events.')
param poisonQueueName string

@description('Name of the scheduled retraining job.')
param trainerJobName string

@description('Name of the manual retraining job.')
param trainerManualJobName string

@description('E-mail address that receives the alerts; empty: the alerts fire without notifying anyone.')
param alertEmail string = ''

@description('scan-errors messages in 15 minutes above which the error rate alerts.')
@minValue(1)
param scanErrorsThreshold int = 50

resource workspace 'Microsoft.OperationalInsights/workspaces@2022-10-01' existing = {
  name: workspaceName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'
  }

  resource queueService 'queueServices' existing = {
    name: 'default'
  }
}

resource bus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: registryName
}

var storageLogs = [
  { category: 'StorageRead', enabled: true }
  { category: 'StorageWrite', enabled: true }
  { category: 'StorageDelete', enabled: true }
]

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: storage::blobService
  properties: {
    workspaceId: workspace.id
    logs: storageLogs
    metrics: [
      { category: 'Transaction', enabled: true }
    ]
  }
}

resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: storage::queueService
  properties: {
    workspaceId: workspace.id
    logs: storageLogs
    metrics: [
      { category: 'Transaction', enabled: true }
    ]
  }
}

resource busDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: bus
  properties: {
    workspaceId: workspace.id
    logs: [
      { categoryGroup: 'allLogs', enabled: true }
    ]
    metrics: [
      { category: 'AllMetrics', enabled: true }
    ]
  }
}

resource registryDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: registry
  properties: {
    workspaceId: workspace.id
    logs: [
      { categoryGroup: 'allLogs', enabled: true }
    ]
    metrics: [
      { category: 'AllMetrics', enabled: true }
    ]
  }
}

resource operators 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${namePrefix}-operators'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'glcmmae'
    enabled: true
    emailReceivers: empty(alertEmail) ? [] : [
      {
        name: 'operators'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

// Each alert: a name, what it means, the workspace-based query, and the source it reads (Log Analytics or App Insights).
var alerts = [
  {
    name: 'poison-queue'
    description: 'A scan event reached the poison queue: five deliveries failed on infrastructure (storage, Service Bus, a crash). The scan has no outcome until the message is replayed.'
    severity: 1
    scope: workspace.id
    query: 'StorageQueueLogs | where OperationName == "PutMessage" and Uri has "/${poisonQueueName}/" | summarize count()'
  }
  {
    name: 'gpu-lost'
    description: 'A functions replica is serving on the CPU because CUDA failed (glcmmae.inference.cpu_fallback): the GPU or its driver is gone, and scans are slow.'
    severity: 1
    scope: appInsights.id
    query: 'customMetrics | where name == "glcmmae.inference.cpu_fallback" and value > 0 | summarize count()'
  }
  {
    name: 'function-failures'
    description: 'Function invocations failed (the queue retries them, then poisons): see the exceptions in Application Insights.'
    severity: 2
    scope: appInsights.id
    query: 'requests | where success == false | summarize count()'
  }
  {
    name: 'retrain-failed'
    description: 'A retraining job execution failed: no new model is published until it succeeds.'
    severity: 2
    scope: workspace.id
    query: 'ContainerAppSystemLogs_CL | where JobName_s in ("${trainerJobName}", "${trainerManualJobName}") and (Reason_s has "Failed" or Log_s has "failed") | summarize count()'
  }
]

resource alertRules 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = [for alert in alerts: {
  name: '${namePrefix}-${alert.name}'
  location: location
  tags: tags
  properties: {
    displayName: '${namePrefix} ${alert.name}'
    description: alert.description
    severity: alert.severity
    enabled: true
    scopes: [
      alert.scope
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: alert.query
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [
        operators.id
      ]
    }
  }
}]

// The scan-errors rate from the namespace's platform metric, split by topic (metrics exported to Log Analytics lose
// their dimensions, so this one is a metric alert).
resource scanErrorsRate 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-scan-errors-rate'
  location: 'global'
  tags: tags
  properties: {
    description: 'More scans than usual were refused (scan-errors): an upstream device or exporter may be sending damaged or unsupported files.'
    severity: 2
    enabled: true
    scopes: [
      bus.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'scan-errors-messages'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'IncomingMessages'
          dimensions: [
            {
              name: 'EntityName'
              operator: 'Include'
              values: [
                'scan-errors'
              ]
            }
          ]
          timeAggregation: 'Total'
          operator: 'GreaterThan'
          threshold: scanErrorsThreshold
        }
      ]
    }
    actions: [
      {
        actionGroupId: operators.id
      }
    ]
  }
}
