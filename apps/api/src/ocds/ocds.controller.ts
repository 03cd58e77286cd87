import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { notFound } from '../common/problem';
import { AppConfigService } from '../config/config.module';
import { TendersService } from '../tenders/tenders.service';
import { isExportable, lastChange, OcdsReleasePackage, toReleasePackage } from './ocds.mapper';

/** The publisher named in every package: the system that publishes the region's procurement data. */
export const OCDS_PUBLISHER_NAME = 'Tenderflow';

@ApiTags('ocds')
@Controller('tenders/:id/ocds')
@Public()
export class OcdsController {
  constructor(
    private readonly tenders: TendersService,
    private readonly config: AppConfigService,
  ) {}

  @Get()
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOperation({
    summary: 'OCDS 1.1 release package of a tender (public, no token)',
    description:
      'Public fields only: buyers, procedure, periods, values, lots, tenderers (after the award decision), awards, the contract and its ' +
      'follow-up milestones. A tender is exported from its publication on; a direct award from its registered contract.',
  })
  @ApiOkResponse({ description: 'An OCDS 1.1 release package with one release' })
  @ApiBadRequestResponse({ description: 'Not a tender id' })
  @ApiNotFoundResponse({ description: 'No such tender, or it is still in internal preparation' })
  async get(@Param('id') id: string): Promise<OcdsReleasePackage> {
    const state = await this.tenders.state(id);
    if (!isExportable(state)) {
      throw notFound(
        `Tender ${id} has not been published (phase ${state.phase}): the OCDS export covers a tender from its publication on, ` +
          'and a direct award from its registered contract',
      );
    }
    const { ocds, http } = this.config.values;
    return toReleasePackage(state, {
      prefix: ocds.prefix,
      publisherName: OCDS_PUBLISHER_NAME,
      publishedDate: lastChange(state),
      baseUrl: http.publicBaseUrl,
    });
  }
}
