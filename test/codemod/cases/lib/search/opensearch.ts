import { Client } from '@opensearch-project/opensearch'

export const search = new Client({ node: process.env.OPENSEARCH_ENDPOINT })
