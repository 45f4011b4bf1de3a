// GlcmMae.Serverless: storage and events, Service Bus, registry, identities and roles, and the GPU
// Container Apps environment with the functions app and the scheduled trainer job.
targetScope = 'resourceGroup'

@description('Azure region for every resource.')
param location string = resourceGroup().location

@description('Short lowercase prefix for resource names (3-11 letters and digits).')
@minLength(3)
@maxLength(11)
param namePrefix string

@description('Deployment environment; production disables shared keys and SAS.')
@allowed([
  'dev'
  'prod'
])
param environmentName string

@description('public: every service reachable from the internet with Entra ID (dev). private: the Container Apps environment inside a virtual network with internal ingress, private endpoints for blob and queue storage, Service Bus and the registry, and their firewalls closed to public networks (prod). Private endpoints need Premium Service Bus and registry, so private deploys those tiers whatever serviceBusSku says. Chosen when the environment is first created: Container Apps cannot move an environment into a network later.')
@allowed([
  'public'
  'private'
])
param networkAccess string = 'public'

@description('Address ranges (CIDR) let through the closed storage and registry firewalls when networkAccess is private: where infra/deploy.sh runs and where training data and scans are uploaded from. Empty: only the virtual network and trusted Azure services.')
param operatorIpRanges array = []

@description('Pseudonymise blob names and DICOM UIDs in every published message with a keyed HMAC (Privacy:Mode). The key is a Key Vault secret, privacy-key, that infra/deploy.sh creates between the phases; prod sets Pseudonymise.')
@allowed([
  'Off'
  'Pseudonymise'
])
param privacyMode string = 'Off'

@description('Service Bus tier.')
@allowed([
  'Standard'
  'Premium'
])
param serviceBusSku string = 'Standard'

@description('Serverless GPU workload profile for the functions app and the trainer.')
@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuProfileType string = 'Consumption-GPU-NC8as-T4'

@description('Deploy the apps and jobs (phase 2). False deploys everything they need first (phase 1: identities, roles, registry, storage, messaging, monitoring), so that the images can be built into the new registry before anything pulls them (infra/deploy.sh).')
param deployApps bool = true

@description('Functions image in the registry: a tag (glcmmae-functions:1.0.0) or, as infra/deploy.sh passes it, a digest (glcmmae-functions@sha256:...).')
param functionsImageTag string

@description('Trainer image in the registry: a tag or a digest, as for functionsImageTag.')
param trainerImageTag string

@description('Fewest functions replicas (0 lets the GPU scale to zero).')
@minValue(0)
@maxValue(10)
param functionsMinReplicas int = 0

@description('Most functions replicas.')
@minValue(1)
@maxValue(50)
param functionsMaxReplicas int = 4

@description('Expose the functions app on the internet (POST /api/classify behind a function key). False (the default) keeps it reachable only inside the Container Apps environment: scans arrive through the scan-events queue either way.')
param functionsExternalIngress bool = false

@description('Write an explanation overlay (occlusion heatmap) to the results container for every labelled scan and name it in the result; about 120-145 extra inferences per scan, so meant for GPU deployments that want heatmaps.')
param functionsExplain bool = false

@description('Retraining schedule: cron expression in UTC (default Sundays 02:00).')
param trainerCron string = '0 2 * * 0'

@description('Longest a training run may take, in seconds.')
@minValue(600)
@maxValue(86400)
param trainerTimeoutSeconds int = 43200

@description('Retries of a failed training run.')
@minValue(0)
@maxValue(5)
param trainerRetryLimit int = 1

@description('Arguments of the glcmmae command the trainer jobs run.')
param trainerArguments array = [
  'retrain'
  '--store'
  'azure'
  // Later runs start GLCM pretraining from the serving model's encoder; the first (nothing serves yet) pretrains in full.
  '--from-champion'
]

@description('Model name in the registry: models/{name}/{version}/.')
param modelName string = 'glcmmae'

@description('Blob prefix of the labelled training data inside the training container.')
param trainingDataPrefix string = 'dataset'

@description('Tags applied to every resource.')
param tags object = {}

@description('E-mail address that receives the operational alerts (poison queue, error rate, GPU lost, failures, retraining); empty: alerts fire without notifying anyone.')
param alertEmail string = ''

var isProduction = environmentName == 'prod'
var isPrivate = networkAccess == 'private'
var allTags = union(tags, {
  application: 'glcmmae'
  environment: environmentName
})
var unique = uniqueString(resourceGroup().id, namePrefix)
var storageAccountName = take(toLower('${namePrefix}st${unique}'), 24)
var registryName = take(toLower('${namePrefix}acr${unique}'), 50)
var vaultName = take(toLower('${namePrefix}kv${unique}'), 24)

module identities 'modules/identities.bicep' = {
  name: 'identities'
  params: {
    location: location
    namePrefix: namePrefix
    tags: allTags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    namePrefix: namePrefix
    tags: allTags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    accountName: storageAccountName
    tags: allTags
    allowSharedKeyAccess: !isProduction
    denyPublicNetwork: isPrivate
    allowedIpRanges: operatorIpRanges
  }
}

module events 'modules/eventgrid.bicep' = {
  name: 'events'
  params: {
    location: location
    namePrefix: namePrefix
    tags: allTags
    storageAccountName: storage.outputs.accountName
    queueName: storage.outputs.scanEventsQueueName
    deadLetterContainerName: storage.outputs.deadLetterContainerName
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    location: location
    namePrefix: namePrefix
    tags: allTags
    sku: isPrivate ? 'Premium' : serviceBusSku
    disableLocalAuth: isProduction
    denyPublicNetwork: isPrivate
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  params: {
    location: location
    registryName: registryName
    tags: allTags
    denyPublicNetwork: isPrivate
    allowedIpRanges: operatorIpRanges
  }
}

module network 'modules/network.bicep' = if (isPrivate) {
  name: 'network'
  params: {
    location: location
    namePrefix: namePrefix
    tags: allTags
    storageAccountName: storage.outputs.accountName
    serviceBusNamespaceName: serviceBus.outputs.namespaceName
    registryName: registry.outputs.registryName
    vaultName: keyVault.outputs.vaultName
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    vaultName: vaultName
    tags: allTags
    denyPublicNetwork: isPrivate
    allowedIpRanges: operatorIpRanges
  }
}

module access 'modules/access.bicep' = {
  name: 'access'
  params: {
    storageAccountName: storage.outputs.accountName
    serviceBusNamespaceName: serviceBus.outputs.namespaceName
    registryName: registry.outputs.registryName
    vaultName: keyVault.outputs.vaultName
    appInsightsName: monitoring.outputs.appInsightsName
    functionsPrincipalId: identities.outputs.functionsPrincipalId
    trainerPrincipalId: identities.outputs.trainerPrincipalId
  }
}

module apps 'modules/containerapps.bicep' = if (deployApps) {
  name: 'containerapps'
  params: {
    location: location
    namePrefix: namePrefix
    tags: allTags
    workspaceName: monitoring.outputs.workspaceName
    appInsightsName: monitoring.outputs.appInsightsName
    gpuProfileType: gpuProfileType
    infrastructureSubnetId: isPrivate ? network!.outputs.appsSubnetId : ''
    registryServer: registry.outputs.loginServer
    functionsImage: '${registry.outputs.loginServer}/${functionsImageTag}'
    trainerImage: '${registry.outputs.loginServer}/${trainerImageTag}'
    functionsMinReplicas: functionsMinReplicas
    functionsMaxReplicas: functionsMaxReplicas
    functionsExternalIngress: functionsExternalIngress
    functionsExplain: functionsExplain
    privacyMode: privacyMode
    privacyVaultItemUri: '${keyVault.outputs.vaultUri}secrets/privacy-key'
    trainerCron: trainerCron
    trainerTimeoutSeconds: trainerTimeoutSeconds
    trainerRetryLimit: trainerRetryLimit
    trainerArguments: trainerArguments
    functionsIdentityId: identities.outputs.functionsIdentityId
    functionsClientId: identities.outputs.functionsClientId
    trainerIdentityId: identities.outputs.trainerIdentityId
    trainerClientId: identities.outputs.trainerClientId
    storageAccountName: storage.outputs.accountName
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    modelName: modelName
    trainingDataPrefix: trainingDataPrefix
  }
  // Images are pulled with the identities: AcrPull must exist before the first revision starts.
  dependsOn: [
    access
  ]
}

module observability 'modules/observability.bicep' = if (deployApps) {
  name: 'observability'
  params: {
    location: location
    namePrefix: namePrefix
    tags: allTags
    workspaceName: monitoring.outputs.workspaceName
    appInsightsName: monitoring.outputs.appInsightsName
    storageAccountName: storage.outputs.accountName
    serviceBusNamespaceName: serviceBus.outputs.namespaceName
    registryName: registry.outputs.registryName
    poisonQueueName: storage.outputs.scanEventsPoisonQueueName
    trainerJobName: apps!.outputs.trainerJobName
    trainerManualJobName: apps!.outputs.trainerManualJobName
    alertEmail: alertEmail
  }
}

output networkAccess string = networkAccess
output privacyMode string = privacyMode
output vaultName string = keyVault.outputs.vaultName
output storageAccountName string = storage.outputs.accountName
output blobEndpoint string = storage.outputs.blobEndpoint
output registryLoginServer string = registry.outputs.loginServer
output registryName string = registry.outputs.registryName
output serviceBusNamespace string = serviceBus.outputs.fullyQualifiedNamespace
output functionsAppName string = deployApps ? apps!.outputs.functionsAppName : ''
output functionsUrl string = deployApps ? 'https://${apps!.outputs.functionsFqdn}' : ''
output trainerJobName string = deployApps ? apps!.outputs.trainerJobName : ''
output trainerManualJobName string = deployApps ? apps!.outputs.trainerManualJobName : ''
output functionsIdentityClientId string = identities.outputs.functionsClientId
output trainerIdentityClientId string = identities.outputs.trainerClientId
output eventGridSystemTopicName string = events.outputs.systemTopicName
