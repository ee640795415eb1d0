import AWSXRay from 'aws-xray-sdk-core'
import { Pool } from 'pg'

const pool = new Pool()

export const handler = async () => {
  const segment = AWSXRay.getSegment()
  const { rows } = await pool.query('SELECT 1')
  segment?.addAnnotation('rows', rows.length)
  return rows
}
