import { PrismaClient } from '@prisma/client'
import { traced, withTracing } from './lib/tracing'
import { capturePrisma } from './lib/tracing/capture-prisma'

const prisma = capturePrisma(new PrismaClient())

export const handler = withTracing({ service: 'prisma' }, async (event: { email: string }) => {
  const user = await traced('Database Query - SELECT user', { annotations: { operation: 'findUnique', table: 'user' } }, () => prisma.user.findUnique({ where: { email: event.email } }))
  await traced('Database Query - INSERT loginEvent', { annotations: { operation: 'create', table: 'loginEvent' } }, () => prisma.loginEvent.create({ data: { email: event.email } }))
  return user
})
