// Network isolation (networkAccess 'private'): a virtual network for the Container Apps environment, private endpoints
// for blob, queue and table storage, Service Bus and the registry, and the private DNS zones that make their usual host names
// resolve to those endpoints inside the network. Deployed in phase 1, before any app starts.
@description('Azure region.')
param location string

@description('Prefix for resource names.')
param namePrefix string

@description('Tags applied to every resource.')
param tags object

@description('Address space of the virtual network.')
param addressPrefix string = '10.40.0.0/16'

@description('Subnet of the Container Apps environment (a workload-profiles environment needs /27 or larger, delegated to Microsoft.App/environments).')
param appsSubnetPrefix string = '10.40.0.0/23'

@description('Subnet of the private endpoints.')
param endpointsSubnetPrefix string = '10.40.2.0/24'

@description('Storage account that gets blob, queue and table endpoints.')
param storageAccountName string

@description('Service Bus namespace that gets an endpoint (Premium only: Standard namespaces have no private endpoints).')
param serviceBusNamespaceName string

@description('Container registry that gets an endpoint (Premium only).')
param registryName string

@description('Key Vault that gets an endpoint.')
param vaultName string

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${namePrefix}-vnet'
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        name: 'apps'
        properties: {
          addressPrefix: appsSubnetPrefix
          // https://learn.microsoft.com/azure/container-apps/custom-virtual-networks: a workload-profiles environment
          // needs its subnet delegated to Microsoft.App/environments.
          delegations: [
            {
              name: 'container-apps'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        name: 'endpoints'
        properties: {
          addressPrefix: endpointsSubnetPrefix
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }

  resource appsSubnet 'subnets' existing = {
    name: 'apps'
  }

  resource endpointsSubnet 'subnets' existing = {
    name: 'endpoints'
  }
}

// One zone per service, named as Microsoft documents it for the public cloud
// (https://learn.microsoft.com/azure/private-link/private-endpoint-dns): the service's usual host name resolves to the
// endpoint's private address for clients in the linked network, so no client setting changes.
var endpoints = [
  {
    name: 'blob'
    type: 'Microsoft.Storage/storageAccounts'
    resourceName: storageAccountName
    groupId: 'blob'
    zone: 'privatelink.blob.${environment().suffixes.storage}'
  }
  {
    name: 'queue'
    type: 'Microsoft.Storage/storageAccounts'
    resourceName: storageAccountName
    groupId: 'queue'
    zone: 'privatelink.queue.${environment().suffixes.storage}'
  }
  {
    name: 'table'
    type: 'Microsoft.Storage/storageAccounts'
    resourceName: storageAccountName
    groupId: 'table'
    zone: 'privatelink.table.${environment().suffixes.storage}'
  }
  {
    name: 'servicebus'
    type: 'Microsoft.ServiceBus/namespaces'
    resourceName: serviceBusNamespaceName
    groupId: 'namespace'
    // Service Bus has no entry in environment().suffixes; this is the public cloud's zone.
    zone: 'privatelink.servicebus.windows.net'
  }
  {
    name: 'registry'
    type: 'Microsoft.ContainerRegistry/registries'
    resourceName: registryName
    groupId: 'registry'
    zone: 'privatelink${environment().suffixes.acrLoginServer}'
  }
  {
    name: 'vault'
    type: 'Microsoft.KeyVault/vaults'
    resourceName: vaultName
    groupId: 'vault'
    // Key Vault's suffix in environment() is the public endpoint's (vault.azure.net); this is the public cloud's private zone.
    zone: 'privatelink.vaultcore.azure.net'
  }
]

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for endpoint in endpoints: {
    name: endpoint.zone
    location: 'global'
    tags: tags
  }
]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (endpoint, i) in endpoints: {
    parent: zones[i]
    name: '${namePrefix}-vnet-link'
    location: 'global'
    tags: tags
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: vnet.id
      }
    }
  }
]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2024-05-01' = [
  for endpoint in endpoints: {
    name: '${namePrefix}-pe-${endpoint.name}'
    location: location
    tags: tags
    properties: {
      subnet: {
        id: vnet::endpointsSubnet.id
      }
      privateLinkServiceConnections: [
        {
          name: endpoint.name
          properties: {
            privateLinkServiceId: resourceId(endpoint.type, endpoint.resourceName)
            groupIds: [
              endpoint.groupId
            ]
          }
        }
      ]
    }
  }
]

resource zoneGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = [
  for (endpoint, i) in endpoints: {
    parent: privateEndpoints[i]
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [
        {
          name: endpoint.name
          properties: {
            privateDnsZoneId: zones[i].id
          }
        }
      ]
    }
  }
]

output appsSubnetId string = vnet::appsSubnet.id
output vnetName string = vnet.name
