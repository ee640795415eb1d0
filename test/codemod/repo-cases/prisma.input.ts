import { PrismaClient } from '@prisma/client'

const prisma = new PrismaClient()

export const handler = async (event: { email: string }) => {
  const user = await prisma.user.findUnique({ where: { email: event.email } })
  await prisma.loginEvent.create({ data: { email: event.email } })
  return user
}
